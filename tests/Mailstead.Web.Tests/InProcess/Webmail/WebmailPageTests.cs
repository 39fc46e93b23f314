using System.Net;
using System.Text;
using Mailstead.Core.Mail;
using Mailstead.Web.Tests.Fixtures;
using Mailstead.Web.Webmail;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Web.Tests.InProcess.Webmail;

/// <summary>The webmail over the whole pipeline in process: sign-in, sessions, lists, reading, actions, folders.</summary>
public sealed class WebmailPageTests : IAsyncLifetime
{
    private const string Password = "Tq8vLr2mZp9wXe";

    private static readonly string[] SpecialFolderLabels = [">Inbox<", ">Drafts<", ">Sent<", ">Junk<", ">Trash<", ">Archive<"];

    private WebHost _host = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        _host = await WebHost.StartAsync();
        _alice = await _host.AddMailboxAsync("alice", Password);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static byte[] Mail(string subject, string body = "Hello Alice, see https://example.org/agenda?a=1&b=2 for details.", string from = "Bob Builder <bob@example.org>") =>
        Encoding.UTF8.GetBytes($"From: {from}\r\nTo: alice@example.test\r\nSubject: {subject}\r\nDate: Tue, 24 Nov 2026 09:30:00 +0000\r\n\r\n{body}\r\n");

    private async Task<WebClient> SignedInAsync()
    {
        var browser = _host.Client();
        var signIn = await browser.SignInAsync(_alice, Password, "mail");
        Assert.Equal("/mail", signIn.Location);
        return browser;
    }

    private async Task<MailFolder> FolderAsync(string name)
    {
        var folders = await _host.Services.GetRequiredService<UserMailService>().FoldersAsync(_alice, CancellationToken.None);
        return folders.Value!.Single(f => f.Folder.Name == name).Folder;
    }

    [Fact]
    public async Task Signing_in_shows_the_inbox_with_the_special_folders_first_and_a_session_cookie_of_its_own()
    {
        await _host.DeliverAsync(_alice, Mail("=?UTF-8?Q?Caf=C3=A9_at_noon?="));
        using var browser = _host.Client();

        var signIn = await browser.SignInAsync(_alice, Password, "mail");
        var inbox = await browser.GetAsync("/mail");

        Assert.NotNull(signIn.SetCookie("mailstead-webmail"));
        Assert.Contains("httponly", signIn.SetCookie("mailstead-webmail")!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", signIn.SetCookie("mailstead-webmail")!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, inbox.Status);
        Assert.Contains("Café at noon", inbox.Body, StringComparison.Ordinal);
        Assert.Contains("Bob Builder", inbox.Body, StringComparison.Ordinal);
        var order = SpecialFolderLabels.Select(n => inbox.Body.IndexOf(n, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i > 0));
        Assert.Equal(order.Order(), order);
        Assert.Equal("/account/login?expired=1", (await browser.GetAsync("/account")).Location);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_address_are_refused_with_the_same_words_and_no_session()
    {
        using var browser = _host.Client();

        var wrong = await browser.SignInAsync(_alice, "not-the-password-at-all", "mail");
        var unknown = await browser.SignInAsync("nobody@example.test", "not-the-password-at-all", "mail");

        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Null(wrong.SetCookie("mailstead-webmail"));
        Assert.Null(unknown.SetCookie("mailstead-webmail"));
        string Error(Page page) => page.Body[page.Body.IndexOf("id=\"signin-error\"", StringComparison.Ordinal)..].Split('<')[0];
        Assert.Equal(Error(wrong), Error(unknown));
        Assert.Equal("/mail/login?expired=1", (await browser.GetAsync("/mail")).Location);
        Assert.DoesNotContain("not-the-password-at-all", browser.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_without_the_antiforgery_token_is_refused()
    {
        using var browser = _host.Client();
        await browser.GetAsync("/mail/login");

        var post = await browser.PostFormAsync("/mail/login", [new("Email", _alice), new("Password", Password)]);

        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Null(post.SetCookie("mailstead-webmail"));
    }

    [Fact]
    public async Task A_user_who_must_change_the_password_gets_my_account_first_and_reaches_no_mail_until_it_is_changed()
    {
        var carol = await _host.AddMailboxAsync("carol", Password, mustChange: true);
        using var browser = _host.Client();

        var signIn = await browser.SignInAsync(carol, Password, "mail");
        var page = await browser.GetAsync("/mail/account");

        Assert.Equal("/mail/account", signIn.Location);
        Assert.Contains("Choose a new password before you continue.", page.Body, StringComparison.Ordinal);
        Assert.Contains(">Update password and log me out from everywhere</button>", page.Body, StringComparison.Ordinal);
        Assert.Equal("/mail/account", (await browser.GetAsync("/mail")).Location);

        const string NewPassword = "Vk4nWq7rTz2pLm";
        var changed = await browser.SubmitAsync("/mail/account", ("CurrentPassword", Password), ("NewPassword", NewPassword), ("ConfirmPassword", NewPassword));

        Assert.Equal("/mail/login?changed=true", changed.Location);
        Assert.Equal("/mail/login?expired=1", (await browser.GetAsync("/mail")).Location);
        Assert.Contains("Your password was changed and you were signed out everywhere.", (await browser.GetAsync("/mail/login?changed=true")).Body, StringComparison.Ordinal);
        Assert.Equal("/mail", (await browser.SignInAsync(carol, NewPassword, "mail")).Location);
    }

    [Fact]
    public async Task A_message_composed_with_an_attachment_reaches_another_mailbox_and_a_copy_stays_in_sent()
    {
        var bob = await _host.AddMailboxAsync("bob", Password);
        using var browser = await SignedInAsync();
        var file = Encoding.UTF8.GetBytes("quarterly numbers\n1,2,3\n");

        var sent = await browser.SubmitWithFilesAsync(
            "/mail/compose",
            [("To", $"Bob <{bob}>"), ("Cc", ""), ("Bcc", ""), ("Subject", "Q4 numbers – draft"), ("Text", "Hi Bob,\nthe numbers are attached.\nAlice")],
            ("Attachments", "numbers.csv", file));

        var sentFolder = await FolderAsync("Sent");
        Assert.Equal(MailPageModel.ListUrl(sentFolder.Id), sent.Location);
        var mail = _host.Services.GetRequiredService<UserMailService>();
        var inbox = (await mail.FoldersAsync(bob, CancellationToken.None)).Value!.Single(f => f.Folder.Name == MailFolder.InboxName).Folder;
        var received = (await mail.ListAsync(bob, inbox.Id, new MailSearch(new MessageListQuery()), CancellationToken.None)).Value!.Items.Single();
        Assert.Equal("Q4 numbers – draft", received.Subject);
        var opened = (await mail.OpenAsync(bob, inbox.Id, received.Uid, markSeen: false, CancellationToken.None)).Value!;
        var message = Mailstead.Core.Mime.MimeMessage.Parse(opened.Raw, Mailstead.Core.Mime.MimeParseMode.Strict);
        var attachment = message.Root.Children.Single(c => c.ContentDisposition?.FileName == "numbers.csv");
        Assert.Equal(file, attachment.DecodeContent());
        Assert.Contains(_alice, message.Root.Field("From")!.Value, StringComparison.Ordinal);
        Assert.Single((await mail.ListAsync(_alice, sentFolder.Id, new MailSearch(new MessageListQuery()), CancellationToken.None)).Value!.Items);

        // Sent lists whom the message went to, not the sender (always Alice there).
        var sentList = await browser.GetAsync(sent.Location!);
        Assert.Contains("<th scope=\"col\" class=\"col-from\">To</th>", sentList.Body, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"from-name\" title=\"Bob &lt;{bob}&gt;\">Bob</span>", sentList.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_starts_with_the_sender_and_the_quoted_text_threads_under_the_original_and_marks_it_answered()
    {
        var bob = await _host.AddMailboxAsync("bob-reply", Password);
        var inbox = await FolderAsync("INBOX");
        var uid = await _host.DeliverAsync(_alice, Encoding.UTF8.GetBytes(
            $"From: Bob <{bob}>\r\nTo: {_alice}\r\nSubject: Lunch on Friday?\r\nMessage-ID: <lunch@example.test>\r\nDate: Tue, 24 Nov 2026 09:30:00 +0000\r\n\r\nShall we try the new place?\r\n"));
        using var browser = await SignedInAsync();

        var form = await browser.GetAsync($"/mail/compose?folder={inbox.Id}&uid={uid}&mode=Reply");
        Assert.Contains($"value=\"Bob &lt;{bob}&gt;\"", form.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"Re: Lunch on Friday?\"", form.Body, StringComparison.Ordinal);
        Assert.Contains("&gt; Shall we try the new place?", form.Body, StringComparison.Ordinal);

        var sent = await browser.SubmitWithFilesAsync(
            $"/mail/compose?folder={inbox.Id}&uid={uid}&mode=Reply",
            [("To", bob), ("Subject", "Re: Lunch on Friday?"), ("Text", "Yes, 12:30!"), ("OriginalFolder", inbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("OriginalUid", uid.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Mode", "Reply")]);

        Assert.NotNull(sent.Location);
        var mail = _host.Services.GetRequiredService<UserMailService>();
        var bobInbox = (await mail.FoldersAsync(bob, CancellationToken.None)).Value!.Single(f => f.Folder.Name == MailFolder.InboxName).Folder;
        var reply = (await mail.ListAsync(bob, bobInbox.Id, new MailSearch(new MessageListQuery()), CancellationToken.None)).Value!.Items.Single();
        var raw = Encoding.UTF8.GetString((await mail.OpenAsync(bob, bobInbox.Id, reply.Uid, markSeen: false, CancellationToken.None)).Value!.Raw);
        Assert.Contains("In-Reply-To: <lunch@example.test>", raw, StringComparison.Ordinal);
        var original = (await mail.OpenAsync(_alice, inbox.Id, uid, markSeen: false, CancellationToken.None)).Value!.Message;
        Assert.True(original.Flags.Has(SystemFlags.Answered));
    }

    [Fact]
    public async Task A_message_forwarded_as_an_attachment_arrives_with_the_original_inside()
    {
        var bob = await _host.AddMailboxAsync("bob-forward", Password);
        var inbox = await FolderAsync("INBOX");
        var uid = await _host.DeliverAsync(_alice, Mail("Invoice 2026-11"));
        using var browser = await SignedInAsync();

        var form = await browser.GetAsync($"/mail/compose?folder={inbox.Id}&uid={uid}&mode=ForwardAsAttachment");
        Assert.Contains("value=\"Fwd: Invoice 2026-11\"", form.Body, StringComparison.Ordinal);
        await browser.SubmitWithFilesAsync(
            $"/mail/compose?folder={inbox.Id}&uid={uid}&mode=ForwardAsAttachment",
            [("To", bob), ("Subject", "Fwd: Invoice 2026-11"), ("Text", "For your records."), ("OriginalFolder", inbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("OriginalUid", uid.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Mode", "ForwardAsAttachment")]);

        var mail = _host.Services.GetRequiredService<UserMailService>();
        var bobInbox = (await mail.FoldersAsync(bob, CancellationToken.None)).Value!.Single(f => f.Folder.Name == MailFolder.InboxName).Folder;
        var received = (await mail.ListAsync(bob, bobInbox.Id, new MailSearch(new MessageListQuery()), CancellationToken.None)).Value!.Items.Single();
        var message = Mailstead.Core.Mime.MimeMessage.Parse((await mail.OpenAsync(bob, bobInbox.Id, received.Uid, markSeen: false, CancellationToken.None)).Value!.Raw);
        var attached = message.Root.Children.Single(c => c.ContentType.IsMessageRfc822);
        Assert.Equal("Invoice 2026-11", attached.Message!.Field("Subject")!.Value);
    }

    private async Task<IReadOnlyList<StoredMessage>> DraftsAsync()
    {
        var drafts = await FolderAsync("Drafts");
        return (await _host.Services.GetRequiredService<UserMailService>().ListAsync(_alice, drafts.Id, new MailSearch(new MessageListQuery()), CancellationToken.None)).Value!.Items;
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Save_draft_keeps_the_message_in_drafts_with_its_bcc_and_attachment_and_opens_it_again_to_go_on_writing()
    {
        using var browser = await SignedInAsync();
        var file = Encoding.UTF8.GetBytes("floor plan v2");

        var saved = await browser.SubmitWithFilesAsync(
            "/mail/compose",
            "/mail/compose?handler=Draft",
            [("To", "\"Dana Smith, Jr.\" <dana@example.org>, bo"), ("Bcc", "audit@example.org"), ("Subject", "Office move"), ("Text", "Half written")],
            ("Attachments", "plan.pdf", file));

        var draft = Assert.Single(await DraftsAsync());
        Assert.Equal($"/mail/compose?draft={draft.Uid}&saved=true", saved.Location);
        Assert.True(draft.Flags.Has(SystemFlags.Draft));
        var reopened = await browser.GetAsync(saved.Location!);
        Assert.Contains("value=\"&quot;Dana Smith, Jr.&quot; &lt;dana@example.org&gt;\"", reopened.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"audit@example.org\"", reopened.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"Office move\"", reopened.Body, StringComparison.Ordinal);
        Assert.Contains(">Half written", reopened.Body, StringComparison.Ordinal);
        Assert.Contains("plan.pdf", reopened.Body, StringComparison.Ordinal);
        Assert.Contains("Draft saved", reopened.Body, StringComparison.Ordinal);
        Assert.Contains($"name=\"DraftUid\" value=\"{draft.Uid}\"", reopened.Body, StringComparison.Ordinal);

        // Saving again replaces the draft: still one, with the attachment kept and the new text.
        var again = await browser.SubmitWithFilesAsync(
            saved.Location!,
            "/mail/compose?handler=Draft",
            [("To", "dana@example.org"), ("Subject", "Office move"), ("Text", "Now finished"), ("DraftUid", Invariant(draft.Uid)), ("KeptAttachments", "0.2")]);
        var replaced = Assert.Single(await DraftsAsync());
        Assert.NotEqual(draft.Uid, replaced.Uid);
        var page = await browser.GetAsync(again.Location!);
        Assert.Contains(">Now finished", page.Body, StringComparison.Ordinal);
        Assert.Contains("plan.pdf", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sending_a_draft_sends_the_attachments_kept_leaves_out_the_ones_unticked_and_removes_the_draft()
    {
        var bob = await _host.AddMailboxAsync("bob-draft", Password);
        using var browser = await SignedInAsync();
        var saved = await browser.SubmitWithFilesAsync(
            "/mail/compose",
            "/mail/compose?handler=Draft",
            [("To", bob), ("Subject", "Two files"), ("Text", "see attached")],
            ("Attachments", "keep.txt", "kept"u8.ToArray()),
            ("Attachments", "drop.txt", "dropped"u8.ToArray()));
        var draft = Assert.Single(await DraftsAsync());
        var form = await browser.GetAsync(saved.Location!);
        Assert.Contains("drop.txt", form.Body, StringComparison.Ordinal);

        var sent = await browser.SubmitWithFilesAsync(
            saved.Location!,
            "/mail/compose",
            [("To", bob), ("Subject", "Two files"), ("Text", "see attached"), ("DraftUid", Invariant(draft.Uid)), ("KeptAttachments", "0.2")]);

        Assert.Equal(MailPageModel.ListUrl((await FolderAsync("Sent")).Id), sent.Location);
        Assert.Empty(await DraftsAsync());
        var mail = _host.Services.GetRequiredService<UserMailService>();
        var bobInbox = (await mail.FoldersAsync(bob, CancellationToken.None)).Value!.Single(f => f.Folder.Name == MailFolder.InboxName).Folder;
        var received = (await mail.ListAsync(bob, bobInbox.Id, new MailSearch(new MessageListQuery()), CancellationToken.None)).Value!.Items.Single();
        var message = Mailstead.Core.Mime.ReadableMessage.Read((await mail.OpenAsync(bob, bobInbox.Id, received.Uid, markSeen: false, CancellationToken.None)).Value!.Raw);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("keep.txt", attachment.FileName);
        Assert.Equal("kept"u8.ToArray(), message.Find(attachment.Path)!.DecodeContent());
    }

    [Fact]
    public async Task A_draft_of_a_reply_keeps_the_thread_and_the_draft_list_opens_drafts_for_writing()
    {
        var inbox = await FolderAsync("INBOX");
        var uid = await _host.DeliverAsync(_alice, Encoding.UTF8.GetBytes(
            "From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: Budget\r\nMessage-ID: <budget@example.org>\r\n\r\nNumbers?\r\n"));
        using var browser = await SignedInAsync();
        var reply = $"/mail/compose?folder={inbox.Id}&uid={uid}&mode=Reply";
        var saved = await browser.SubmitWithFilesAsync(
            reply,
            "/mail/compose?handler=Draft",
            [("To", "bob@example.org"), ("Subject", "Re: Budget"), ("Text", "Coming"), ("OriginalFolder", Invariant(inbox.Id)), ("OriginalUid", Invariant(uid)), ("Mode", "Reply")]);

        Assert.EndsWith($"&folder={inbox.Id}&uid={uid}&mode=Reply", saved.Location, StringComparison.Ordinal);
        var draft = Assert.Single(await DraftsAsync());
        var mail = _host.Services.GetRequiredService<UserMailService>();
        var drafts = await FolderAsync("Drafts");
        var raw = Encoding.UTF8.GetString((await mail.OpenAsync(_alice, drafts.Id, draft.Uid, markSeen: false, CancellationToken.None)).Value!.Raw);
        Assert.Contains("In-Reply-To: <budget@example.org>", raw, StringComparison.Ordinal);
        var list = await browser.GetAsync(MailPageModel.ListUrl(drafts.Id));
        Assert.Contains($"href=\"/mail/compose?draft={draft.Uid}\"", list.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discard_deletes_the_draft_for_good()
    {
        using var browser = await SignedInAsync();
        var saved = await browser.SubmitWithFilesAsync("/mail/compose", "/mail/compose?handler=Draft", [("To", ""), ("Subject", "Never mind"), ("Text", "")]);
        var draft = Assert.Single(await DraftsAsync());

        var discarded = await browser.SubmitWithFilesAsync(saved.Location!, "/mail/compose?handler=Discard", [("DraftUid", Invariant(draft.Uid))]);

        Assert.Equal("/mail", discarded.Location);
        Assert.Empty(await DraftsAsync());
        Assert.Empty((await _host.Services.GetRequiredService<UserMailService>().ListAsync(_alice, (await FolderAsync("Trash")).Id, new MailSearch(new MessageListQuery()), CancellationToken.None)).Value!.Items);
    }

    [Fact]
    public async Task Attachments_over_the_upload_limit_bring_the_form_back_with_the_reason_beside_attachments()
    {
        using var browser = await SignedInAsync();
        var huge = new byte[(100 << 20) + 1];

        var refused = await browser.SubmitWithFilesAsync("/mail/compose", [("To", "bob@example.org"), ("Subject", "Video")], ("Attachments", "video.mp4", huge));

        Assert.Equal("/mail/compose?tooLarge=true", refused.Location);
        var form = await browser.GetAsync(refused.Location!);
        Assert.Contains("more than the form takes at once, so nothing was sent. Attach files of at most 37.5 MB in all.", form.Body, StringComparison.Ordinal);
        Assert.Contains("data-max-bytes=\"39321600\"", form.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_to_more_recipients_than_the_server_takes_is_refused_with_the_numbers_and_nothing_is_sent()
    {
        using var browser = await SignedInAsync();
        var many = string.Join(", ", Enumerable.Range(0, 101).Select(i => $"r{i}@example.org"));

        var refused = await browser.SubmitWithFilesAsync("/mail/compose", [("To", many), ("Subject", "Party"), ("Text", "You are invited")]);

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("A message can go to at most 100 recipients; this one has 101.", refused.Body, StringComparison.Ordinal);
        Assert.Empty(await _host.Services.GetRequiredService<Outbox>().ListAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task A_message_with_a_subject_and_no_text_is_sent()
    {
        var bob = await _host.AddMailboxAsync("bob-empty", Password);
        using var browser = await SignedInAsync();

        var sent = await browser.SubmitWithFilesAsync("/mail/compose", [("To", bob), ("Subject", "See subject"), ("Text", "")]);

        Assert.Equal(MailPageModel.ListUrl((await FolderAsync("Sent")).Id), sent.Location);
    }

    [Fact]
    public async Task A_refused_send_keeps_the_uploaded_file_in_a_draft_listed_on_the_form()
    {
        using var browser = await SignedInAsync();

        var refused = await browser.SubmitWithFilesAsync("/mail/compose", [("To", "not an address"), ("Subject", "Report"), ("Text", "attached")], ("Attachments", "report.txt", "data"u8.ToArray()));

        Assert.Contains("is not an email address.", refused.Body, StringComparison.Ordinal);
        var draft = Assert.Single(await DraftsAsync());
        Assert.Contains($"name=\"DraftUid\" value=\"{draft.Uid}\"", refused.Body, StringComparison.Ordinal);
        Assert.Contains("report.txt", refused.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compose_form_with_a_bad_address_or_an_unknown_local_mailbox_says_so_and_keeps_what_was_typed()
    {
        using var browser = await SignedInAsync();

        var bad = await browser.SubmitWithFilesAsync("/mail/compose", [("To", "not an address"), ("Subject", "Hello"), ("Text", "typed text")]);
        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Contains("is not an email address.", bad.Body, StringComparison.Ordinal);
        Assert.Contains(">typed text</textarea>", bad.Body, StringComparison.Ordinal);

        var none = await browser.SubmitWithFilesAsync("/mail/compose", [("To", ""), ("Subject", "Hello"), ("Text", "")]);
        Assert.Contains("Enter at least one recipient.", none.Body, StringComparison.Ordinal);

        var unknown = await browser.SubmitWithFilesAsync("/mail/compose", [("To", "nobody@example.test"), ("Subject", "Hello"), ("Text", "x")]);
        Assert.Contains("The message could not be sent to any recipient.", unknown.Body, StringComparison.Ordinal);
        Assert.Contains("there is no such mailbox here", unknown.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_settings_opens_the_user_panel_signed_in_once_and_a_replayed_link_lands_on_its_sign_in_page()
    {
        using var browser = await SignedInAsync();
        var inbox = await browser.GetAsync("/mail");
        Assert.Contains(" User Settings</button>", inbox.Body, StringComparison.Ordinal);

        var issued = await browser.PostFormAsync("/mail/user-settings", [KeyValuePair.Create("__RequestVerificationToken", inbox.AntiforgeryToken!)]);
        var link = issued.Location!;
        Assert.StartsWith("/account/sso?token=", link, StringComparison.Ordinal);
        Assert.Equal("/account", (await browser.GetAsync(link)).Location);
        Assert.Contains(_alice, (await browser.GetAsync("/account/password")).Body, StringComparison.Ordinal);

        using var thief = _host.Client();
        Assert.Equal("/account/login?link=invalid", (await thief.GetAsync(link)).Location);
        Assert.Contains("This sign-in link is no longer valid.", (await thief.GetAsync("/account/login?link=invalid")).Body, StringComparison.Ordinal);
        Assert.StartsWith("/account/login", (await thief.GetAsync("/account")).Location, StringComparison.Ordinal);
        Assert.Equal("/mail", (await browser.GetAsync("/mail/user-settings")).Location);
    }

    [Fact]
    public async Task Update_password_and_log_me_out_from_everywhere_ends_this_browser_other_browsers_and_the_user_panel()
    {
        using var here = await SignedInAsync();
        using var other = await SignedInAsync();
        using var panel = _host.Client();
        await panel.SignInAsync(_alice, Password);

        var weak = await here.SubmitAsync("/mail/account", ("CurrentPassword", Password), ("NewPassword", "short"), ("ConfirmPassword", "short"));
        Assert.Equal(HttpStatusCode.OK, weak.Status);
        Assert.Contains("The new password does not meet every requirement.", weak.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/mail")).Status);

        const string NewPassword = "Rz6mKp3wQv8tLn";
        var changed = await here.SubmitAsync("/mail/account", ("CurrentPassword", Password), ("NewPassword", NewPassword), ("ConfirmPassword", NewPassword));

        Assert.Equal("/mail/login?changed=true", changed.Location);
        Assert.StartsWith("/mail/login", (await here.GetAsync("/mail")).Location, StringComparison.Ordinal);
        Assert.StartsWith("/mail/login", (await other.GetAsync("/mail")).Location, StringComparison.Ordinal);
        Assert.StartsWith("/account/login", (await panel.GetAsync("/account")).Location, StringComparison.Ordinal);
        Assert.NotEqual("/mail", (await _host.Client().SignInAsync(_alice, Password, "mail")).Location);
    }

    [Fact]
    public async Task A_password_change_in_the_user_panel_ends_the_webmail_session()
    {
        using var webmail = await SignedInAsync();
        using var panel = _host.Client();
        await panel.SignInAsync(_alice, Password);

        var changed = await panel.ChangePasswordAsync(Password, "hollow-Quartz-Lantern-73");

        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.Equal("/mail/login?expired=1", (await webmail.GetAsync("/mail")).Location);
    }

    [Fact]
    public async Task Opening_a_message_marks_it_read_shows_links_clickable_and_escaped_and_wakes_idle_listeners()
    {
        var uid = await _host.DeliverAsync(_alice, Mail("Agenda", "Look: <b>not bold</b> https://example.org/agenda?a=1&b=2."));
        var inbox = await FolderAsync("INBOX");
        using var browser = await SignedInAsync();
        var events = _host.Services.GetRequiredService<FolderEvents>();
        var signalled = new TaskCompletionSource();
        using var subscription = events.Subscribe(inbox.Id, () => signalled.TrySetResult());

        var page = await browser.GetAsync($"/mail/read?folder={inbox.Id}&uid={uid}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Look: &lt;b&gt;not bold&lt;/b&gt; <a href=\"https://example.org/agenda?a=1&amp;b=2\" target=\"_blank\" rel=\"noopener noreferrer\">https://example.org/agenda?a=1&amp;b=2</a>.", page.Body, StringComparison.Ordinal);
        await signalled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var row = (await _host.Services.GetRequiredService<IMessageStore>().ListByUidAsync(inbox.Id, uid, uid, CancellationToken.None)).Single();
        Assert.True(row.Flags.Has(SystemFlags.Seen));
    }

    [Fact]
    public async Task An_html_message_is_framed_sandboxed_and_its_body_carries_a_policy_that_blocks_script_and_remote_content()
    {
        var uid = await _host.DeliverAsync(_alice, HostileHtml.Message(_alice));
        var inbox = await FolderAsync("INBOX");
        using var browser = await SignedInAsync();

        var page = await browser.GetAsync($"/mail/read?folder={inbox.Id}&uid={uid}");
        var body = await browser.GetAsync($"/mail/read?folder={inbox.Id}&uid={uid}&handler=Body");

        Assert.Contains("sandbox=\"allow-same-origin allow-popups allow-popups-to-escape-sandbox\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("remote image was blocked", page.Body, StringComparison.Ordinal);
        Assert.Contains("Show remote images", page.Body, StringComparison.Ordinal);
        var policy = string.Join(";", body.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("https:", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("Dear customer, <b>your invoice</b> is ready.", body.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned", body.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(HostileHtml.Tracker, body.Body, StringComparison.Ordinal);

        var allowed = await browser.GetAsync($"/mail/read?folder={inbox.Id}&uid={uid}&handler=Body&images=true");
        Assert.Contains("img-src http://mail.example.test https: http:", string.Join(";", allowed.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains($"https://{HostileHtml.Tracker}/pixel.gif", allowed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attachment_downloads_with_its_name_and_type_and_an_inline_image_is_served_for_the_body()
    {
        var message = Encoding.UTF8.GetBytes(
            "From: bob@example.org\r\nTo: alice@example.test\r\nSubject: Report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n" +
            "--m\r\nContent-Type: multipart/related; boundary=r\r\n\r\n" +
            "--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Chart: <img src=\"cid:chart@x\"></p>\r\n" +
            "--r\r\nContent-Type: image/png\r\nContent-ID: <chart@x>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--r--\r\n" +
            "--m\r\nContent-Type: text/html; name=\"report.html\"\r\nContent-Disposition: attachment; filename=\"report.html\"\r\n\r\n<script>alert(1)</script>\r\n--m--\r\n");
        var uid = await _host.DeliverAsync(_alice, message);
        var inbox = await FolderAsync("INBOX");
        using var browser = await SignedInAsync();

        var list = await browser.GetAsync("/mail");
        var page = await browser.GetAsync($"/mail/read?folder={inbox.Id}&uid={uid}");
        var body = await browser.GetAsync($"/mail/read?folder={inbox.Id}&uid={uid}&handler=Body");
        var download = await browser.GetAsync($"/mail/read?folder={inbox.Id}&uid={uid}&handler=Part&part=0.2");
        var image = await browser.GetAsync($"/mail/read?folder={inbox.Id}&uid={uid}&handler=Part&part=0.1.2&inline=true");

        Assert.Contains("aria-label=\"Has attachments\"", list.Body, StringComparison.Ordinal);
        Assert.Contains("report.html", page.Body, StringComparison.Ordinal);
        Assert.Contains("1 attachment", page.Body, StringComparison.Ordinal);
        Assert.Contains($"src=\"/mail/read?folder={inbox.Id}&amp;uid={uid}&amp;handler=Part&amp;part=0.1.2&amp;inline=true\"", body.Body, StringComparison.Ordinal);
        Assert.Equal("text/html", download.ContentHeaders.ContentType?.MediaType);
        Assert.Equal("attachment", download.ContentHeaders.ContentDisposition?.DispositionType);
        Assert.Equal("report.html", download.ContentHeaders.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("nosniff", string.Join("", download.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("sandbox", string.Join("", download.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("image/png", image.ContentHeaders.ContentType?.MediaType);
        Assert.Equal("inline", image.ContentHeaders.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task The_source_view_is_the_raw_message_as_plain_text()
    {
        var uid = await _host.DeliverAsync(_alice, HostileHtml.Message(_alice));
        var inbox = await FolderAsync("INBOX");
        using var browser = await SignedInAsync();

        var source = await browser.GetAsync($"/mail/read?folder={inbox.Id}&uid={uid}&handler=Source");

        Assert.Equal("text/plain", source.ContentHeaders.ContentType?.MediaType);
        Assert.Contains("<script>console.log('pwned-script')</script>", source.Body, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join("", source.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Selected_messages_are_flagged_moved_and_deleted_to_trash_and_then_for_good()
    {
        var first = await _host.DeliverAsync(_alice, Mail("First"));
        var second = await _host.DeliverAsync(_alice, Mail("Second"));
        var inbox = await FolderAsync("INBOX");
        var archive = await FolderAsync("Archive");
        var trash = await FolderAsync("Trash");
        var store = _host.Services.GetRequiredService<IMessageStore>();
        using var browser = await SignedInAsync();
        var token = (await browser.GetAsync("/mail")).AntiforgeryToken!;
        Task<Page> Act(long folder, string action, params long[] uids) => browser.PostFormAsync("/mail/actions",
            [new("folder", folder.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("do", action),
             new("target", archive.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("__RequestVerificationToken", token),
             .. uids.Select(u => KeyValuePair.Create("uid", u.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

        var flagged = await Act(inbox.Id, "flag", first, second);
        Assert.Equal(HttpStatusCode.Redirect, flagged.Status);
        Assert.All(await store.ListByUidAsync(inbox.Id, 1, long.MaxValue, CancellationToken.None), m => Assert.True(m.Flags.Has(SystemFlags.Flagged)));

        await Act(inbox.Id, "move", first);
        Assert.Equal(["Second"], (await store.ListByUidAsync(inbox.Id, 1, long.MaxValue, CancellationToken.None)).Select(m => m.Subject));
        Assert.Equal(["First"], (await store.ListByUidAsync(archive.Id, 1, long.MaxValue, CancellationToken.None)).Select(m => m.Subject));

        await Act(inbox.Id, "delete", second);
        var inTrash = await store.ListByUidAsync(trash.Id, 1, long.MaxValue, CancellationToken.None);
        Assert.Equal(["Second"], inTrash.Select(m => m.Subject));
        Assert.Empty(await store.ListByUidAsync(inbox.Id, 1, long.MaxValue, CancellationToken.None));

        var gone = await Act(trash.Id, "delete", inTrash[0].Uid);
        Assert.Equal(HttpStatusCode.Redirect, gone.Status);
        Assert.Empty(await store.ListByUidAsync(trash.Id, 1, long.MaxValue, CancellationToken.None));
        Assert.Contains("1 message deleted.", (await browser.GetAsync(gone.Location!)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_without_the_antiforgery_token_changes_nothing()
    {
        var uid = await _host.DeliverAsync(_alice, Mail("Keep me"));
        var inbox = await FolderAsync("INBOX");
        using var browser = await SignedInAsync();

        var post = await browser.PostFormAsync("/mail/actions", [new("folder", inbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("do", "delete"), new("uid", uid.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Single(await _host.Services.GetRequiredService<IMessageStore>().ListByUidAsync(inbox.Id, 1, long.MaxValue, CancellationToken.None));
    }

    [Fact]
    public async Task Folders_are_created_renamed_and_deleted_and_refusals_show_beside_the_field()
    {
        using var browser = await SignedInAsync();

        var created = await browser.SubmitAsync("/mail/folders?handler=Create", ("NewName", "Projects"));
        var duplicate = await browser.SubmitAsync("/mail/folders?handler=Create", ("NewName", "Projects"));
        var empty = await browser.SubmitAsync("/mail/folders?handler=Create", ("NewName", "  "));
        var projects = await FolderAsync("Projects");
        var renamed = await browser.SubmitAsync("/mail/folders?handler=Rename", ("FolderId", projects.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("NewName", "Clients"));
        var inbox = await FolderAsync("INBOX");
        var refusedInbox = await browser.SubmitAsync("/mail/folders?handler=Delete", ("FolderId", inbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var trash = await FolderAsync("Trash");
        var refusedTrash = await browser.SubmitAsync("/mail/folders?handler=Rename", ("FolderId", trash.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("NewName", "Bin"));
        var deleted = await browser.SubmitAsync("/mail/folders?handler=Delete", ("FolderId", projects.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal("/mail/folders", created.Location);
        Assert.Contains("<span class=\"field-error\" id=\"NewName-error\">A folder named &quot;Projects&quot; exists already.</span>", duplicate.Body, StringComparison.Ordinal);
        Assert.Contains("<span class=\"field-error\" id=\"NewName-error\">A folder needs a name.</span>", empty.Body, StringComparison.Ordinal);
        Assert.Equal("/mail/folders", renamed.Location);
        Assert.Contains($"id=\"folder-{inbox.Id}-error\" role=\"alert\">INBOX cannot be deleted: new mail arrives there.</span>", refusedInbox.Body, StringComparison.Ordinal);
        Assert.Contains($"id=\"folder-{trash.Id}-error\" role=\"alert\">Trash cannot be renamed: it is the trash folder", refusedTrash.Body, StringComparison.Ordinal);
        Assert.Equal("/mail/folders", deleted.Location);
        var names = (await _host.Services.GetRequiredService<UserMailService>().FoldersAsync(_alice, CancellationToken.None)).Value!.Select(f => f.Folder.Name);
        Assert.Equal(["INBOX", "Drafts", "Sent", "Junk", "Trash", "Archive"], names);
    }

    [Fact]
    public async Task Another_mailbox_s_message_cannot_be_read_or_moved_by_guessing_its_folder()
    {
        var bob = await _host.AddMailboxAsync("bob", Password);
        var uid = await _host.DeliverAsync(bob, Mail("Bob's secret"));
        var bobs = (await _host.Services.GetRequiredService<UserMailService>().FoldersAsync(bob, CancellationToken.None)).Value!.Single(f => f.Folder.Name == "INBOX").Folder;
        using var browser = await SignedInAsync();
        var token = (await browser.GetAsync("/mail")).AntiforgeryToken!;

        var read = await browser.GetAsync($"/mail/read?folder={bobs.Id}&uid={uid}");
        var list = await browser.GetAsync($"/mail?folder={bobs.Id}");
        var delete = await browser.PostFormAsync("/mail/actions", [new("folder", bobs.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("do", "delete"), new("uid", uid.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("__RequestVerificationToken", token)]);

        Assert.Equal(HttpStatusCode.NotFound, read.Status);
        Assert.Equal(HttpStatusCode.NotFound, list.Status);
        Assert.Equal(HttpStatusCode.NotFound, delete.Status);
        Assert.DoesNotContain("Bob's secret", browser.Transcript, StringComparison.Ordinal);
        Assert.Single(await _host.Services.GetRequiredService<IMessageStore>().ListByUidAsync(bobs.Id, 1, long.MaxValue, CancellationToken.None));
    }
}
