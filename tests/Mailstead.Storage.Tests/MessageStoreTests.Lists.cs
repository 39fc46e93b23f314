using System.Diagnostics;
using System.Text;
using Mailstead.Core.Mail;
using Microsoft.EntityFrameworkCore;

namespace Mailstead.Storage.Tests;

/// <summary>The webmail's message list and folder counts, once per provider.</summary>
public abstract partial class MessageStoreTests
{
    private static async Task DeliverFromAsync(Platform p, string from, string subject, DateTime received, SystemFlags flags = SystemFlags.None)
    {
        var raw = Encoding.UTF8.GetBytes($"From: {from}\r\nTo: alice@example.test\r\nSubject: {subject}\r\n\r\nHello.\r\n");
        var delivered = await p.Messages.DeliverAsync(p.Alice, new NewMessage(raw) { InternalDate = received, Flags = MessageFlags.Of(flags) }, createFolder: false, None);
        Assert.True(delivered.Succeeded, delivered.Problem?.Message);
    }

    [Fact]
    public async Task The_message_list_sorts_by_date_sender_and_subject_on_the_decoded_text_and_pages_through_them()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var day = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        await DeliverFromAsync(p, "=?UTF-8?B?w4lkb3VhcmQ=?= <edouard@example.org>", "=?UTF-8?Q?Caf=C3=A9_tomorrow?=", day.AddHours(1));
        await DeliverFromAsync(p, "\"Zoe Quinn\" <zoe@example.org>", "Agenda", day.AddHours(3));
        await DeliverFromAsync(p, "bob@example.org", "Minutes", day.AddHours(2));
        var inbox = await FolderAsync(p, "INBOX");

        var byDate = await p.Metadata.ListPageAsync(inbox.Id, new MessageListQuery(), None);
        var bySender = await p.Metadata.ListPageAsync(inbox.Id, new MessageListQuery { Sort = MessageSort.Sender, Descending = false }, None);
        var bySubject = await p.Metadata.ListPageAsync(inbox.Id, new MessageListQuery { Sort = MessageSort.Subject, Descending = false }, None);
        var secondPage = await p.Metadata.ListPageAsync(inbox.Id, new MessageListQuery { Offset = 2, Limit = 2 }, None);

        Assert.Equal(["Agenda", "Minutes", "Café tomorrow"], byDate.Items.Select(m => m.Subject));
        Assert.Equal(["bob@example.org", "Zoe Quinn <zoe@example.org>", "Édouard <edouard@example.org>"], bySender.Items.Select(m => m.From));
        Assert.Equal(["Agenda", "Café tomorrow", "Minutes"], bySubject.Items.Select(m => m.Subject));
        Assert.Equal(3, secondPage.Total);
        Assert.Equal(["Café tomorrow"], secondPage.Items.Select(m => m.Subject));
    }

    [Fact]
    public async Task The_message_list_finds_by_sender_subject_ignoring_case_and_by_received_date_range()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var day = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        await DeliverFromAsync(p, "Carol <carol@example.org>", "Quarterly report", day);
        await DeliverFromAsync(p, "Carol <carol@example.org>", "Lunch", day.AddDays(2));
        await DeliverFromAsync(p, "Dan <dan@example.org>", "Report draft", day.AddDays(4));
        var inbox = await FolderAsync(p, "INBOX");

        async Task<IEnumerable<string?>> Subjects(MessageListQuery query) =>
            (await p.Metadata.ListPageAsync(inbox.Id, query with { Sort = MessageSort.Date, Descending = false }, None)).Items.Select(m => m.Subject);

        Assert.Equal(["Quarterly report", "Lunch"], await Subjects(new MessageListQuery { From = "CAROL" }));
        Assert.Equal(["Quarterly report", "Report draft"], await Subjects(new MessageListQuery { Subject = "report" }));
        Assert.Equal(["Report draft"], await Subjects(new MessageListQuery { From = "dan", Subject = "REPORT" }));
        Assert.Equal(["Lunch"], await Subjects(new MessageListQuery { Since = day.AddDays(1), Before = day.AddDays(4) }));
        Assert.Empty(await Subjects(new MessageListQuery { Subject = "100%_" }));
    }

    [Fact]
    public async Task Summaries_stored_before_decoding_are_decoded_from_their_headers_once_and_then_left_alone()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        await DeliverFromAsync(p, "\"Zoe Quinn\" <zoe@example.org>", "=?UTF-8?Q?Caf=C3=A9_tomorrow?=", DateTime.UtcNow);
        await DeliverFromAsync(p, "bob@example.org", "Plain", DateTime.UtcNow);
        var inbox = await FolderAsync(p, "INBOX");
        await using (var db = await store.Contexts.CreateDbContextAsync())
        {
            // What an older Mailstead stored: the header text as it came.
            await db.Database.ExecuteSqlAsync($"UPDATE messages SET subject = '=?UTF-8?Q?Caf=C3=A9_tomorrow?=', \"from\" = '\"Zoe Quinn\" <zoe@example.org>' WHERE folder_id = {inbox.Id} AND uid = 1");
        }

        var first = await p.Messages.RefreshStoredSummariesAsync(None);
        var second = await p.Messages.RefreshStoredSummariesAsync(None);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        var rows = await p.Metadata.ListByUidAsync(inbox.Id, 1, 2, None);
        Assert.Equal(["Café tomorrow", "Plain"], rows.Select(m => m.Subject));
        Assert.Equal(["Zoe Quinn <zoe@example.org>", "bob@example.org"], rows.Select(m => m.From));
        Assert.Equal(rows[0].ModSeq, (await p.Metadata.ListByUidAsync(inbox.Id, 1, 1, None)).Single().ModSeq);
    }

    [Fact]
    public async Task Folder_counts_give_every_folder_s_messages_and_unread_in_one_answer()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var now = DateTime.UtcNow;
        await DeliverFromAsync(p, "a@example.org", "one", now);
        await DeliverFromAsync(p, "a@example.org", "two", now, SystemFlags.Seen);
        await DeliverAsync(p, "archived", "Archive");
        var inbox = await FolderAsync(p, "INBOX");
        var archive = await FolderAsync(p, "Archive");

        var counts = await p.Metadata.CountFoldersAsync(p.Alice.Id, None);

        Assert.Equal(new FolderCounts(2, 1, 0), counts[inbox.Id]);
        Assert.Equal(new FolderCounts(1, 1, 0), counts[archive.Id]);
        Assert.False(counts.ContainsKey((await FolderAsync(p, "Trash")).Id));
    }

    [Fact]
    public async Task A_page_deep_in_a_folder_of_100_000_messages_comes_back_in_well_under_a_second_in_every_order()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        await p.Metadata.EnsureDefaultFoldersAsync(p.Alice.Id, None);
        var inbox = await FolderAsync(p, "INBOX");
        const int count = 100_000;
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var db = await store.Contexts.CreateDbContextAsync())
        {
            // One statement both databases run: rows with distinct dates, 100 senders and distinct subjects.
            await db.Database.ExecuteSqlAsync($"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
                INSERT INTO messages (folder_id, uid, internal_date, size, system_flags, keywords, mod_seq, body_key, subject, "from")
                SELECT {inbox.Id}, i, {start}, 100, i % 2, '', 1, 'none', 'subject ' || i, 'sender ' || (i % 100) FROM n
                """);
        }

        foreach (var sort in Enum.GetValues<MessageSort>())
        {
            await p.Metadata.ListPageAsync(inbox.Id, new MessageListQuery { Sort = sort }, None); // warm the connection and plan
            var clock = Stopwatch.StartNew();
            var last = await p.Metadata.ListPageAsync(inbox.Id, new MessageListQuery { Sort = sort, Offset = count - 50, Limit = 50 }, None);
            clock.Stop();

            Assert.Equal(count, last.Total);
            Assert.Equal(50, last.Items.Count);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the last page by {sort} took {clock.Elapsed.TotalMilliseconds:F0} ms");
        }

        var counts = Stopwatch.StartNew();
        var all = await p.Metadata.CountFoldersAsync(p.Alice.Id, None);
        Assert.Equal(new FolderCounts(count, count / 2, 0), all[inbox.Id]);
        Assert.True(counts.Elapsed < TimeSpan.FromSeconds(1), $"counting took {counts.Elapsed.TotalMilliseconds:F0} ms");
    }
}
