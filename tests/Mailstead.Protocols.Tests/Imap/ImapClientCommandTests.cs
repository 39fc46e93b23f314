using System.Text;
using Mailstead.Protocols.Imap.Commands;
using static Mailstead.Protocols.Tests.Imap.ImapParse;

namespace Mailstead.Protocols.Tests.Imap;

/// <summary>Commands as real clients send them (Thunderbird, Apple Mail, Outlook, imaplib, imapflow).</summary>
public class ImapClientCommandTests
{
    private static SequenceSet Set(params (uint First, uint Last)[] ranges) =>
        new(ranges.Select(r => new SequenceRange(r.First, r.Last)).ToList());

    [Fact]
    public void Thunderbird_fetches_new_headers_with_a_header_field_list()
    {
        var fetch = Command<FetchCommand>("a1 UID FETCH 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])");

        Assert.True(fetch.Uid);
        Assert.Equal("1:*", fetch.Set.ToString());
        Assert.Equal(
            [FetchItemKind.Uid, FetchItemKind.Rfc822Size, FetchItemKind.Flags, FetchItemKind.BodySection],
            fetch.Items.Select(i => i.Kind));
        var body = fetch.Items[3];
        Assert.True(body.Peek);
        Assert.Equal("HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)", body.Section);
        Assert.Null(body.Partial);
    }

    [Fact]
    public void Thunderbird_session_commands_parse()
    {
        Assert.Equal(ImapCommandName.Capability, Command<SimpleCommand>("1 capability").Name);
        Assert.Equal(new AuthenticateCommand("2", "PLAIN", null), Command<AuthenticateCommand>("2 authenticate PLAIN"));
        var id = Command<IdCommand>("3 ID (\"name\" \"Thunderbird\" \"version\" \"128.5.0\")");
        Assert.Equal([new("name", "Thunderbird"), new("version", "128.5.0")], id.Parameters!);
        var select = Command<SelectCommand>("5 select \"INBOX\" (CONDSTORE)");
        Assert.Equal(new SelectCommand("5", ImapCommandName.Select, "INBOX", true, null), select);
        var list = Command<ListCommand>("4 list (subscribed) \"\" \"*\" return (special-use)");
        Assert.Equal(ListSelection.Subscribed, list.Selection);
        Assert.Equal(ListReturn.SpecialUse, list.Return);
        Assert.Equal(["*"], list.Patterns);
        var partial = Command<FetchCommand>("12 UID fetch 1234 (UID RFC822.SIZE FLAGS BODY.PEEK[]<0.32768>)").Items[3];
        Assert.Equal(new FetchItem(FetchItemKind.BodySection, "", new FetchPartial(0, 32768), Peek: true), partial);
        var store = Command<StoreCommand>("13 uid store 1234 +FLAGS (\\Seen)");
        Assert.Equal((StoreMode.Add, false), (store.Mode, store.Silent));
        Assert.Equal([@"\Seen"], store.Flags);
        Assert.Equal(new CopyCommand("14", ImapCommandName.Move, true, Set((1234, 1234)), "Trash"), Command<CopyCommand>("14 UID move 1234 \"Trash\""));
        Assert.Equal(Set((1234, 1234), (1236, 1240)).ToString(), Command<ExpungeCommand>("15 UID EXPUNGE 1234,1236:1240").Uids!.ToString());
        Assert.Equal(ImapCommandName.Idle, Command<SimpleCommand>("16 IDLE").Name);
    }

    [Fact]
    public void Apple_mail_commands_parse()
    {
        var id = Command<IdCommand>("1.2 ID (\"name\" \"Mac OS X Mail\" \"version\" \"16.0 (3774.300.61.1.2)\" \"os\" \"macOS\" \"os-version\" \"14.5 (23F79)\" \"vendor\" \"Apple Inc.\")");
        Assert.Equal(5, id.Parameters!.Count);
        var status = Command<StatusCommand>("3.4 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)");
        Assert.Equal(StatusItems.Messages | StatusItems.UidNext | StatusItems.UidValidity | StatusItems.Unseen | StatusItems.HighestModSeq, status.Items);
        var sync = Command<FetchCommand>("5.6 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1234567)");
        Assert.Equal(1234567UL, sync.ChangedSince);
        var search = Command<SearchCommand>("6.1 UID SEARCH 1:* NOT DELETED");
        Assert.Equal(
            new AndSearchKey([new SequenceSetSearchKey(Set((1, SequenceRange.Star)), false), new NotSearchKey(new FlagSearchKey(SearchFlag.Deleted))]),
            search.Criteria);
        var structure = Command<FetchCommand>("7.3 UID FETCH 42 (BODYSTRUCTURE BODY.PEEK[HEADER] BODY.PEEK[1.MIME] BINARY.PEEK[1.2]<0.2048> BINARY.SIZE[1])");
        Assert.Equal(
            [
                FetchItem.Of(FetchItemKind.BodyStructure),
                new FetchItem(FetchItemKind.BodySection, "HEADER", Peek: true),
                new FetchItem(FetchItemKind.BodySection, "1.MIME", Peek: true),
                new FetchItem(FetchItemKind.BinarySection, "1.2", new FetchPartial(0, 2048), Peek: true),
                new FetchItem(FetchItemKind.BinarySize, "1"),
            ],
            structure.Items);
    }

    [Fact]
    public void Apple_mail_appends_a_sent_message_with_flags_and_date()
    {
        var message = "From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n";
        var t = new ImapTranscript().Receive($"8.1 APPEND \"Sent Messages\" (\\Seen) \" 4-Nov-2026 13:30:07 +0100\" {{{message.Length}}}\r\n");
        Assert.Equal(["+ Ready for literal data"], t.Responses);
        t.Receive(message + "\r\n");

        var append = Assert.IsType<AppendCommand>(Assert.Single(t.Commands));
        Assert.Equal("Sent Messages", append.Mailbox);
        var m = Assert.Single(append.Messages);
        Assert.Equal([@"\Seen"], m.Flags);
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 13, 30, 7, TimeSpan.FromHours(1)), m.InternalDate);
        Assert.False(m.Binary);
    }

    [Fact]
    public void Multiappend_carries_several_messages_each_with_its_own_flags_and_date()
    {
        var t = new ImapTranscript().Receive("m APPEND Archive (\\Seen) {3+}\r\none \"01-Jan-2025 00:00:00 -0500\" ~{3+}\r\ntwo {5+}\r\nthree\r\n");

        var messages = Assert.IsType<AppendCommand>(Assert.Single(t.Commands)).Messages;
        Assert.Equal(["one", "two", "three"], messages.Select(m => Encoding.ASCII.GetString(m.Content)));
        Assert.Equal([@"\Seen"], messages[0].Flags);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5)), messages[1].InternalDate);
        Assert.Equal([false, true, false], messages.Select(m => m.Binary));
    }

    [Fact]
    public void Outlook_commands_parse()
    {
        var fetch = Command<FetchCommand>("A004 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM SUBJECT CONTENT-TYPE X-MS-TNEF-Correlator CONTENT-CLASS IMPORTANCE PRIORITY X-PRIORITY THREAD-TOPIC REPLY-TO)])");
        Assert.Equal(5, fetch.Items.Count);
        Assert.StartsWith("HEADER.FIELDS (DATE FROM", fetch.Items[4].Section, StringComparison.Ordinal);
        var list = Command<ListCommand>("A003 LIST \"\" \"*\"");
        Assert.Equal(("", ListSelection.None, ListReturn.None), (list.Reference, list.Selection, list.Return));
        Assert.Equal(new LoginCommand("A001", "user@example.org", "p@ss w\"rd"), Command<LoginCommand>("A001 LOGIN user@example.org \"p@ss w\\\"rd\""));
    }

    [Fact]
    public void Imaplib_commands_parse()
    {
        Assert.Equal(new MailboxCommand("KBEN3", ImapCommandName.Subscribe, "Archive/2024"), Command<MailboxCommand>("KBEN3 SUBSCRIBE Archive/2024"));
        var search = Command<SearchCommand>("KBEN4 SEARCH ALL");
        Assert.Equal(new FlagSearchKey(SearchFlag.All), search.Criteria);
        Assert.Null(search.Return);
        Assert.Equal([FetchItem.Of(FetchItemKind.Rfc822)], Command<FetchCommand>("KBEN5 FETCH 1 (RFC822)").Items);
        var append = new ImapTranscript().Receive("KBEN6 APPEND INBOX () \"24-Nov-2026 13:30:07 +0000\" {5}\r\n").Receive("hello\r\n");
        var message = Assert.IsType<AppendCommand>(Assert.Single(append.Commands)).Messages.Single();
        Assert.Empty(message.Flags);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 13, 30, 7, TimeSpan.Zero), message.InternalDate);
        Assert.Equal(new RenameCommand("KBEN7", "Old", "New name"), Command<RenameCommand>("KBEN7 RENAME Old \"New name\""));
        Assert.Equal(ImapCommandName.Delete, Command<MailboxCommand>("KBEN8 DELETE \"New name\"").Name);
    }

    [Fact]
    public void Imapflow_commands_parse()
    {
        Assert.Equal(["CONDSTORE", "UTF8=ACCEPT"], Command<EnableCommand>("2 ENABLE CONDSTORE UTF8=ACCEPT").Capabilities);
        var list = Command<ListCommand>("3 LIST \"\" \"*\" RETURN (SPECIAL-USE SUBSCRIBED STATUS (MESSAGES UIDNEXT UIDVALIDITY UNSEEN))");
        Assert.Equal(ListReturn.SpecialUse | ListReturn.Subscribed | ListReturn.Status, list.Return);
        Assert.Equal(StatusItems.Messages | StatusItems.UidNext | StatusItems.UidValidity | StatusItems.Unseen, list.ReturnStatus);
        var fetch = Command<FetchCommand>("4 UID FETCH 1:* (UID FLAGS BODYSTRUCTURE ENVELOPE INTERNALDATE RFC822.SIZE MODSEQ)");
        Assert.Equal(FetchItemKind.ModSeq, fetch.Items[^1].Kind);
        var store = Command<StoreCommand>("5 UID STORE 1:3 +FLAGS.SILENT (\\Seen \\Flagged $Forwarded)");
        Assert.Equal((StoreMode.Add, true), (store.Mode, store.Silent));
        Assert.Equal([@"\Seen", @"\Flagged", "$Forwarded"], store.Flags);
        var since = Command<SearchCommand>("6 UID SEARCH SINCE 1-Jan-2024");
        Assert.Equal(new DateSearchKey(false, DateComparison.Since, new DateOnly(2024, 1, 1)), since.Criteria);
        Assert.Equal(ImapCommandName.Namespace, Command<SimpleCommand>("7 NAMESPACE").Name);
        Assert.Equal(new IdCommand("8", null), Command<IdCommand>("8 ID NIL"));
        Assert.Equal(new AuthenticateCommand("9", "PLAIN", "AHVzZXIAcGFzcw=="), Command<AuthenticateCommand>("9 AUTHENTICATE PLAIN AHVzZXIAcGFzcw=="));
        Assert.Equal(new AuthenticateCommand("9", "PLAIN", "="), Command<AuthenticateCommand>("9 AUTHENTICATE PLAIN ="));
    }

    [Fact]
    public void Select_with_qresync_carries_known_uids_and_sequence_match_data()
    {
        // RFC 7162 §3.2.5.2 examples.
        var simple = Command<SelectCommand>("A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))").QResync!;
        Assert.Equal((67890007u, 20050715194045000UL), (simple.UidValidity, simple.ModSeq));
        Assert.Equal("41,43:211,214:541", simple.KnownUids!.ToString());
        Assert.Null(simple.KnownSequenceNumbers);

        var full = Command<SelectCommand>("B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541 (1:20,24 41:60,100)))").QResync!;
        Assert.Equal("1:20,24", full.KnownSequenceNumbers!.ToString());
        Assert.Equal("41:60,100", full.KnownSequenceUids!.ToString());

        var matchOnly = Command<SelectCommand>("B05 EXAMINE INBOX (QRESYNC (1 2 (1:2 5:6)))").QResync!;
        Assert.Null(matchOnly.KnownUids);
        Assert.Equal("5:6", matchOnly.KnownSequenceUids!.ToString());
    }

    [Fact]
    public void Create_with_a_special_use_and_extended_list_with_several_patterns()
    {
        Assert.Equal([@"\Drafts"], Command<CreateCommand>("t1 CREATE Drafts (USE (\\Drafts))").SpecialUse);
        Assert.Empty(Command<CreateCommand>("t2 CREATE Projects").SpecialUse);
        var list = Command<ListCommand>("t3 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"INBOX\" \"Work/%\") RETURN (CHILDREN)");
        Assert.Equal(ListSelection.Subscribed | ListSelection.RecursiveMatch, list.Selection);
        Assert.Equal(["INBOX", "Work/%"], list.Patterns);
        Assert.Equal(ImapCommandName.Lsub, Command<ListCommand>("t4 LSUB \"\" *").Name);
    }

    [Theory]
    [InlineData("a LIST \"\" \"\"", false)]
    [InlineData("a LIST \"\" %", false)]
    [InlineData("a LIST () \"\" \"\"", true)]
    [InlineData("a LIST \"\" (\"\" %)", true)]
    [InlineData("a LIST \"\" % RETURN ()", true)]
    public void List_knows_when_the_client_used_the_extended_syntax_where_an_empty_pattern_means_nothing(string line, bool extended)
    {
        // RFC 9051 §6.3.9: a parenthesis as first or second word, or return options, make it extended.
        Assert.Equal(extended, Command<ListCommand>(line).Extended);
    }

    [Fact]
    public void Search_handles_the_full_key_grammar()
    {
        var search = Command<SearchCommand>("A282 UID SEARCH RETURN (MIN COUNT) CHARSET UTF-8 OR (FROM \"Smith\") (SUBJECT {4}\r\nПр) NOT (2:4,7 UID 10:*) HEADER Message-ID \"<a@b>\" LARGER 1000 SENTBEFORE \"01-Feb-1994\" KEYWORD $Junk MODSEQ \"/flags/\\\\draft\" all 620162338");

        Assert.Equal(SearchReturn.Min | SearchReturn.Count, search.Return);
        Assert.Equal("UTF-8", search.Charset);
        var keys = Assert.IsType<AndSearchKey>(search.Criteria).Keys;
        var or = Assert.IsType<OrSearchKey>(keys[0]);
        Assert.Equal(new TextSearchKey(SearchTextField.From, "Smith"), or.Left);
        Assert.Equal(new TextSearchKey(SearchTextField.Subject, "Пр"), or.Right);
        var not = Assert.IsType<AndSearchKey>(Assert.IsType<NotSearchKey>(keys[1]).Key);
        Assert.Equal("2:4,7", Assert.IsType<SequenceSetSearchKey>(not.Keys[0]).Set.ToString());
        Assert.True(Assert.IsType<SequenceSetSearchKey>(not.Keys[1]).Uid);
        Assert.Equal(new HeaderSearchKey("Message-ID", "<a@b>"), keys[2]);
        Assert.Equal(new SizeSearchKey(true, 1000), keys[3]);
        Assert.Equal(new DateSearchKey(true, DateComparison.Before, new DateOnly(1994, 2, 1)), keys[4]);
        Assert.Equal(new KeywordSearchKey("$Junk", true), keys[5]);
        Assert.Equal(new ModSeqSearchKey(620162338, "/flags/\\draft", "all"), keys[6]);
    }

    [Fact]
    public void The_saved_search_result_dollar_is_accepted_wherever_a_sequence_set_is()
    {
        // RFC 9051 §6.4.4.4 examples 1, 3, 4 and 7.
        Assert.Equal(SearchReturn.Save | SearchReturn.Min, Command<SearchCommand>("A282 SEARCH RETURN (SAVE MIN) FLAGGED").Return);
        Assert.Same(SequenceSet.SavedResult, Command<FetchCommand>("A283 FETCH $ (UID FLAGS)").Set);
        Assert.Same(SequenceSet.SavedResult, Command<StoreCommand>("F284 STORE $ +FLAGS.Silent (\\Deleted)").Set);
        Assert.Same(SequenceSet.SavedResult, Command<CopyCommand>("F283 UID COPY $ Junk").Set);
        Assert.Same(SequenceSet.SavedResult, Command<CopyCommand>("F285 MOVE $ Junk").Set);
        Assert.Same(SequenceSet.SavedResult, Command<ExpungeCommand>("F286 UID EXPUNGE $").Uids);
        var uid = Assert.IsType<AndSearchKey>(Command<SearchCommand>("A301 UID SEARCH UID $ SMALLER 4096").Criteria).Keys[0];
        Assert.Equal(new SequenceSetSearchKey(SequenceSet.SavedResult, Uid: true), uid);
        var or = Assert.IsType<OrSearchKey>(Assert.IsType<AndSearchKey>(Command<SearchCommand>("P283 SEARCH (OR $ 1,3000:3021) TEXT x").Criteria).Keys[0]);
        Assert.Equal("$", Assert.IsType<SequenceSetSearchKey>(or.Left).Set.ToString());
        Assert.NotEqual(SequenceSet.SavedResult, new SequenceSet([]));
    }

    [Fact]
    public void A_save_search_refused_for_its_charset_says_the_saved_result_is_now_empty()
    {
        var refused = ImapParse.Rejection("B283 SEARCH RETURN (SAVE) CHARSET KOI8-R (OR $ 1,3000:3021) TEXT x");
        Assert.Equal(ImapRejectReason.UnsupportedCharset, refused.Reason);
        Assert.True(refused.ClearsSavedResult);
        Assert.False(ImapParse.Rejection("B284 SEARCH CHARSET KOI8-R TEXT x").ClearsSavedResult);
        // A BAD leaves "$" as it was (§6.4.4.1).
        Assert.False(ImapParse.Rejection("B285 SEARCH RETURN (SAVE) FROB").ClearsSavedResult);
    }

    [Fact]
    public void Search_return_with_empty_options_asks_for_esearch_all()
    {
        Assert.Equal(SearchReturn.None, Command<SearchCommand>("a SEARCH RETURN () UNSEEN").Return);
    }

    [Fact]
    public void Fetch_macros_expand_and_vanished_needs_uid_fetch_with_changedsince()
    {
        Assert.Equal(
            [FetchItemKind.Flags, FetchItemKind.InternalDate, FetchItemKind.Rfc822Size, FetchItemKind.Envelope, FetchItemKind.Body],
            Command<FetchCommand>("a FETCH 1:5 FULL").Items.Select(i => i.Kind));
        Assert.Equal(3, Command<FetchCommand>("a FETCH 1 fast").Items.Count);
        Assert.True(Command<FetchCommand>("a UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)").Vanished);
        Assert.Equal("VANISHED needs UID FETCH with CHANGEDSINCE", Rejection("a FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)").Message);
    }

    [Fact]
    public void Store_accepts_single_flags_and_unchangedsince()
    {
        var store = Command<StoreCommand>("a STORE 2:4 (UNCHANGEDSINCE 320162338) FLAGS \\Deleted keyword");
        Assert.Equal(320162338UL, store.UnchangedSince);
        Assert.Equal((StoreMode.Replace, false), (store.Mode, store.Silent));
        Assert.Equal([@"\Deleted", "keyword"], store.Flags);
        Assert.Empty(Command<StoreCommand>("a STORE 1 -FLAGS ()").Flags);
    }

    [Fact]
    public void Sequence_ranges_are_normalised_with_star_last()
    {
        var set = Command<FetchCommand>("a FETCH 5:3,*:4,7,*,2:* FLAGS").Set;

        Assert.Equal("3:5,4:*,7,*,2:*", set.ToString());
        Assert.Equal((4u, 10u), set.Ranges[1].Resolve(10));
        Assert.Equal((2u, 3291u), new SequenceRange(3291, SequenceRange.Star).Resolve(2));
        Assert.True(set.Contains(9, largest: 10));
    }

    [Fact]
    public void Mailbox_names_are_decoded_from_modified_utf7_and_inbox_is_case_insensitive()
    {
        // RFC 3501 §5.1.3 example.
        Assert.Equal("~peter/mail/台北/日本語", Command<MailboxCommand>("a DELETE ~peter/mail/&U,BTFw-/&ZeVnLIqe-").Mailbox);
        Assert.Equal("INBOX", Command<SelectCommand>("a EXAMINE iNbOx").Mailbox);
        Assert.Equal("Inbox/Sub", Command<SelectCommand>("a SELECT Inbox/Sub").Mailbox);
        Assert.Equal("Tom & Jerry", Command<MailboxCommand>("a SUBSCRIBE \"Tom &- Jerry\"").Mailbox);
    }

    [Fact]
    public void Mailbox_names_are_utf8_once_the_client_enabled_utf8_accept()
    {
        Assert.Equal("Отправленные", Command<SelectCommand>("a SELECT \"Отправленные\"", utf8: true).Mailbox);
        Assert.Equal("&AOk-", Command<SelectCommand>("a SELECT &AOk-", utf8: true).Mailbox);
        Assert.Equal(ImapRejectReason.EightBitText, Rejection("a SELECT \"Отправленные\"").Reason);
    }

    [Fact]
    public void Modified_utf7_encoding_round_trips()
    {
        foreach (var name in new[] { "Отправленные", "Entwürfe", "Tom & Jerry", "日本語/台北", "emoji 😀 box", "&", "plain" })
        {
            var encoded = ModifiedUtf7.Encode(name);
            Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
            Assert.True(ModifiedUtf7.TryDecode(Encoding.ASCII.GetBytes(encoded), out var decoded), encoded);
            Assert.Equal(name, decoded);
        }
        Assert.Equal("&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-", ModifiedUtf7.Encode("Отправленные"));
    }
}
