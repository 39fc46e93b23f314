using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Mailstead.Tests;

/// <summary>IMAP against the real server, with Python's imaplib, curl and a raw socket.</summary>
public sealed class ImapTests(MailServerFixture mail) : IClassFixture<MailServerFixture>
{
    private const string Password = "correct horse battery staple";
    private const string NewPassword = "a brand new horse battery staple";

    private string Port(string endpoint) => mail.Port(endpoint).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_client_appends_fetches_searches_stores_copies_moves_and_expunges_over_starttls()
    {
        var address = await mail.AddMailboxAsync("imap", Password);

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            m = imaplib.IMAP4('127.0.0.1', port)
            print('plain caps', ' '.join(m.capabilities))
            try:
                m.login(address, password)
                print('login before tls accepted')
            except imaplib.IMAP4.error as e:
                print('login before tls refused', e)
            m.starttls(tls)
            print('tls caps', ' '.join(m.capabilities))
            print('login', m.login(address, password)[0])
            print('append', m.append('INBOX', '(\\Flagged)', None, MESSAGE)[1][0].decode())
            print('append nowhere', *m.append('Nowhere', None, None, MESSAGE))
            m.select('INBOX')
            typ, data = m.uid('SEARCH', 'ALL')
            uid = data[0].split()[-1].decode()
            typ, data = m.uid('FETCH', uid, '(FLAGS ENVELOPE BODYSTRUCTURE)')
            print('meta', data[0].decode())
            print('meta again same', m.uid('FETCH', uid, '(FLAGS ENVELOPE BODYSTRUCTURE)')[1][0] == data[0])
            typ, data = m.uid('FETCH', uid, '(BODY[])')
            print('body same', data[0][1] == MESSAGE)
            typ, data = m.uid('FETCH', uid, '(FLAGS)')
            print('seen after body', data[0].decode())
            print('search body', m.uid('SEARCH', 'BODY', 'banana')[1][0].decode() == uid)
            m.literal = 'h\u00e9llo'.encode('utf-8')
            print('search subject', m.uid('SEARCH', 'CHARSET', 'UTF-8', 'SUBJECT')[1][0].decode() == uid)
            print('search from', m.uid('SEARCH', 'FROM', 'bob@example.org')[1][0].decode() == uid)
            print('search nothing', m.uid('SEARCH', 'FROM', 'nobody')[1][0].decode() == '')
            print('store', m.uid('STORE', uid, '+FLAGS', '(\\Answered $Label1)')[1][0].decode())
            typ, data = m._simple_command('UID', 'COPY', uid, 'Archive')
            print('copy', typ, data[0].decode())
            typ, data = m._simple_command('UID', 'MOVE', uid, 'Trash')
            print('move', typ, m.response('OK')[1][-1].decode(), m.response('EXPUNGE'))
            print('inbox left', m.status('INBOX', '(MESSAGES)')[1][0].decode())
            print('trash', m.status('Trash', '(MESSAGES UNSEEN)')[1][0].decode())
            m.select('Trash')
            m.store('1', '+FLAGS', '(\\Deleted)')
            typ, data = m.expunge()
            print('expunge', typ, data)
            print('trash after', m.status('Trash', '(MESSAGES)')[1][0].decode())
            print('list', ' | '.join(x.decode() for x in m.list('""', '*')[1]))
            m.logout()
            """,
            Port("Imap"), address, Password);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var output = result.Output;
        Assert.Contains("STARTTLS", Line(output, "plain caps"), StringComparison.Ordinal);
        Assert.Contains("LOGINDISABLED", Line(output, "plain caps"), StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH=", Line(output, "plain caps"), StringComparison.Ordinal);
        Assert.Contains("login before tls refused b'[PRIVACYREQUIRED]", output, StringComparison.Ordinal);
        Assert.Contains("AUTH=PLAIN", Line(output, "tls caps"), StringComparison.Ordinal);
        Assert.Contains("login OK", output, StringComparison.Ordinal);
        Assert.Matches(@"append \[APPENDUID \d+ \d+\]", output);
        Assert.Contains("append nowhere NO [b'[TRYCREATE] There is no such folder.']", output, StringComparison.Ordinal);
        var meta = Line(output, "meta");
        // The first session to select INBOX sees the message as \Recent (RFC 3501 §2.3.2).
        Assert.Contains(@"FLAGS (\Flagged \Recent)", meta, StringComparison.Ordinal);
        Assert.Contains("ENVELOPE (\"Mon, 1 Jan 2024 10:00:00 +0000\" \"=?utf-8?q?H=C3=A9llo?= there\" ((\"Bob\" NIL \"bob\" \"example.org\"))", meta, StringComparison.Ordinal);
        Assert.Contains("BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 23 1 NIL NIL NIL NIL)(\"application\" \"octet-stream\" NIL NIL NIL \"base64\" 4 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"b\") NIL NIL NIL)", meta, StringComparison.Ordinal);
        Assert.Contains("meta again same True", output, StringComparison.Ordinal);
        Assert.Contains("body same True", output, StringComparison.Ordinal);
        Assert.Contains(@"FLAGS (\Seen \Flagged \Recent)", Line(output, "seen after body"), StringComparison.Ordinal);
        Assert.Contains("search body True", output, StringComparison.Ordinal);
        Assert.Contains("search subject True", output, StringComparison.Ordinal);
        Assert.Contains("search from True", output, StringComparison.Ordinal);
        Assert.Contains("search nothing True", output, StringComparison.Ordinal);
        Assert.Contains(@"FLAGS (\Seen \Answered \Flagged \Recent $Label1)", Line(output, "store"), StringComparison.Ordinal);
        Assert.Matches(@"copy OK \[COPYUID \d+ \d+ 1\] COPY completed", output);
        Assert.Matches(@"move OK \[COPYUID \d+ 1 1\] Moved\. \('EXPUNGE', \[b'1'\]\)", output);
        Assert.Contains("inbox left \"INBOX\" (MESSAGES 0)", output, StringComparison.Ordinal);
        Assert.Contains("trash \"Trash\" (MESSAGES 1 UNSEEN 0)", output, StringComparison.Ordinal);
        Assert.Contains("expunge OK [b'1']", output, StringComparison.Ordinal);
        Assert.Contains("trash after \"Trash\" (MESSAGES 0)", output, StringComparison.Ordinal);
        Assert.Contains(@"(\HasNoChildren \Trash) ""/"" ""Trash""", Line(output, "list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_gets_esearch_results_folder_sizes_list_with_status_and_decoded_binary_parts()
    {
        var address = await mail.AddMailboxAsync("imap-extensions", Password);

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            m.login(address, password)
            print('caps', m.capability()[1][0].decode())
            for i in range(5):
                m.append('INBOX', '(\\Flagged)' if i in (1, 3, 4) else None, None, MESSAGE)
            m.select('INBOX')
            def esearch(*args):
                typ, data = m._simple_command(*args)
                return typ + ' ' + m.untagged_responses.pop('ESEARCH')[0].decode().split(') ', 1)[1]
            print('esearch', esearch('SEARCH', 'RETURN', '(MIN MAX COUNT)', 'FLAGGED'))
            print('esearch all', esearch('UID', 'SEARCH', 'RETURN', '()', 'FLAGGED'))
            typ, data = m._simple_command('SEARCH', 'RETURN', '(MIN COUNT)', 'SUBJECT', 'nothing-like-this')
            print('esearch none', typ, m.untagged_responses.pop('ESEARCH')[0].decode())
            m.store('1', '+FLAGS', '(\\Deleted)')
            print('status', m.status('INBOX', '(MESSAGES DELETED SIZE)')[1][0].decode(), 'of', 5 * len(MESSAGE))
            typ, data = m._simple_command('LIST', '""', '%', 'RETURN', '(STATUS (MESSAGES UNSEEN))')
            print('list status', ' | '.join(x.decode() for x in m.untagged_responses.pop('STATUS')))
            typ, data = m.fetch('2', '(BINARY.SIZE[1] BINARY.PEEK[1] BINARY.PEEK[2] BINARY.PEEK[1]<4.4>)')
            print('binary', typ, data[0][0].decode())
            print('binary text', data[0][1] == b'The body says banana.\r\n')
            print('binary nul', data[1][0].decode(), data[1][1] == b'\x00\x00\x00')
            print('binary partial', data[2][0].decode(), data[2][1] == b'body')
            print('seen after peek', m.fetch('2', '(FLAGS)')[1][0].decode())
            m.logout()
            """,
            Port("Imaps"), address, Password);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var output = result.Output;
        Assert.Contains(" ESEARCH SEARCHRES BINARY STATUS=SIZE LIST-EXTENDED LIST-STATUS", Line(output, "caps"), StringComparison.Ordinal);
        Assert.Equal("esearch OK MIN 2 MAX 5 COUNT 3", Line(output, "esearch"));
        Assert.Equal("esearch all OK UID ALL 2,4:5", Line(output, "esearch all"));
        Assert.Matches(@"^esearch none OK \(TAG ""\w+""\) COUNT 0$", Line(output, "esearch none"));
        var status = Line(output, "status");
        var total = status[(status.LastIndexOf(' ') + 1)..];
        Assert.Equal($"status \"INBOX\" (MESSAGES 5 DELETED 1 SIZE {total}) of {total}", status);
        Assert.Contains("\"INBOX\" (MESSAGES 5 UNSEEN 5)", Line(output, "list status"), StringComparison.Ordinal);
        Assert.Contains("\"Trash\" (MESSAGES 0 UNSEEN 0)", Line(output, "list status"), StringComparison.Ordinal);
        Assert.Equal("binary OK 2 (BINARY.SIZE[1] 23 BINARY[1] {23}", Line(output, "binary"));
        Assert.Equal("binary text True", Line(output, "binary text"));
        Assert.Equal("binary nul  BINARY[2] ~{3} True", Line(output, "binary nul"));
        Assert.Equal("binary partial  BINARY[1]<4> {4} True", Line(output, "binary partial"));
        Assert.Equal("seen after peek 2 (FLAGS (\\Flagged \\Recent))", Line(output, "seen after peek"));
    }

    [Fact]
    public async Task An_imap4rev2_client_gets_esearch_saved_results_utf8_folder_names_and_childinfo_while_a_rev1_client_keeps_modified_utf7()
    {
        var address = await mail.AddMailboxAsync("imap4rev2", Password);

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            m.login(address, password)
            print('caps', m.capability()[1][0].decode())
            typ, data = m._simple_command('ENABLE', 'IMAP4rev2')
            print('enabled', typ, m.untagged_responses.pop('ENABLED')[0].decode())
            m._mode_utf8()
            for i in range(4):
                m.append('INBOX', '(\\Flagged)' if i in (1, 2) else None, None, MESSAGE)
            m.select('INBOX')
            print('select recent', 'RECENT' in m.untagged_responses, 'list', m.untagged_responses.pop('LIST')[0].decode())
            def esearch():
                return ' | '.join(x.decode().split(') ', 1)[1] for x in m.untagged_responses.pop('ESEARCH', []))
            print('search', m.search(None, 'FLAGGED')[1], esearch())
            typ, data = m._simple_command('SEARCH', 'RETURN', '(SAVE)', 'FLAGGED')
            print('save', typ, 'ESEARCH' in m.untagged_responses)
            print('fetch saved', ' | '.join(x.decode() for x in m.fetch('$', '(FLAGS)')[1]))
            m.uid('SEARCH', 'OR', '$', '1')
            print('uid search saved', esearch())
            typ, data = m._simple_command('CREATE', '"Größe/Unterordner"')
            print('create', typ)
            # New folders start subscribed: only the child stays so.
            print('unsubscribe parent', m.unsubscribe('"Größe"')[0])
            print('copy saved', m.copy('$', '"Größe"')[1][0].decode('utf-8'))
            m._simple_command('LIST', '(SUBSCRIBED RECURSIVEMATCH)', '""', '%')
            print('recursive', ' | '.join(x.decode('utf-8') for x in m.untagged_responses.pop('LIST')))
            m._simple_command('LIST', '(SUBSCRIBED)', '""', '"Gr*"')
            print('subscribed', ' | '.join(x.decode('utf-8') for x in m.untagged_responses.pop('LIST')))
            typ, data = m.select('"Größe"')
            print('select utf8', typ, data[0].decode(), m.untagged_responses.pop('LIST')[0].decode('utf-8'),
                  any(b'[CLOSED]' in x for x in m.untagged_responses.get('OK', [])))
            print('status utf8', m.status('"Größe/Unterordner"', '(MESSAGES)')[1][0].decode('utf-8'))
            m.close()
            print('delete parent', m.delete('"Größe"')[0])
            print('level rev2', ' | '.join(x.decode('utf-8') for x in m.list('""', '"Gr*"')[1]))
            m.logout()

            r = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            r.login(address, password)
            print('level rev1', ' | '.join(x.decode() for x in r.list('""', 'Gr*')[1]))
            r.select('INBOX')
            print('rev1 select recent', r.untagged_responses.get('RECENT'), 'LIST' in r.untagged_responses)
            print('rev1 search', r.search(None, 'FLAGGED')[1][0].decode(), 'ESEARCH' in r.untagged_responses)
            r.logout()
            """,
            Port("Imaps"), address, Password);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var output = result.Output;
        Assert.Matches(@"^caps IMAP4rev1 IMAP4rev2 .* SEARCHRES .* LIST-EXTENDED ", Line(output, "caps"));
        Assert.Equal("enabled OK IMAP4rev2", Line(output, "enabled"));
        Assert.Equal(@"select recent False list (\HasNoChildren) ""/"" ""INBOX""", Line(output, "select recent"));
        Assert.Equal("search [None] ALL 2:3", Line(output, "search"));
        Assert.Equal("save OK False", Line(output, "save"));
        Assert.Equal(@"fetch saved 2 (FLAGS (\Flagged)) | 3 (FLAGS (\Flagged))", Line(output, "fetch saved"));
        Assert.Equal("uid search saved UID ALL 1:3", Line(output, "uid search saved"));
        Assert.Equal("create OK", Line(output, "create"));
        Assert.Equal("unsubscribe parent OK", Line(output, "unsubscribe parent"));
        Assert.Matches(@"^copy saved \[COPYUID \d+ 2:3 1:2\] ", Line(output, "copy saved"));
        var recursive = Line(output, "recursive");
        Assert.Contains(@"(\HasChildren) ""/"" ""Größe"" (""CHILDINFO"" (""SUBSCRIBED""))", recursive, StringComparison.Ordinal);
        Assert.DoesNotContain("Unterordner", recursive, StringComparison.Ordinal);
        Assert.Equal(@"subscribed (\HasNoChildren \Subscribed) ""/"" ""Größe/Unterordner""", Line(output, "subscribed"));
        Assert.Equal(@"select utf8 OK 2 (\HasChildren) ""/"" ""Größe"" True", Line(output, "select utf8"));
        Assert.Equal(@"status utf8 ""Größe/Unterordner"" (MESSAGES 0)", Line(output, "status utf8"));
        Assert.Equal("delete parent OK", Line(output, "delete parent"));
        Assert.Equal(@"level rev2 (\NonExistent \HasChildren) ""/"" ""Größe"" | (\HasNoChildren) ""/"" ""Größe/Unterordner""", Line(output, "level rev2"));
        Assert.Equal(@"level rev1 (\Noselect \HasChildren) ""/"" ""Gr&APYA3w-e"" | (\HasNoChildren) ""/"" ""Gr&APYA3w-e/Unterordner""", Line(output, "level rev1"));
        Assert.Equal("rev1 select recent [b'0'] False", Line(output, "rev1 select recent"));
        Assert.Equal("rev1 search 2 3 False", Line(output, "rev1 search"));
    }

    [Fact]
    public async Task Curl_reads_a_message_over_implicit_tls_and_starttls_and_cannot_log_in_without_tls()
    {
        var address = await mail.AddMailboxAsync("curl", "temporary horse battery staple");
        await mail.ChangePasswordAsync(address, Password); // delivers the password notice: INBOX holds one message

        var implicitTls = await ExternalClient.CurlAsync("-k", "--user", $"{address}:{Password}", $"imaps://127.0.0.1:{Port("Imaps")}/INBOX;UID=1");
        Assert.True(implicitTls.ExitCode == 0, implicitTls.Error);
        Assert.Contains("Subject: Your mailbox password was reset", implicitTls.Output, StringComparison.Ordinal);

        var startTls = await ExternalClient.CurlAsync("-k", "--ssl-reqd", "--user", $"{address}:{Password}", $"imap://127.0.0.1:{Port("Imap")}/");
        Assert.True(startTls.ExitCode == 0, startTls.Error);
        Assert.Contains("\"INBOX\"", startTls.Output, StringComparison.Ordinal);

        var plain = await ExternalClient.CurlAsync("--user", $"{address}:{Password}", $"imap://127.0.0.1:{Port("Imap")}/INBOX;UID=1");
        Assert.NotEqual(0, plain.ExitCode);
        Assert.DoesNotContain("Subject:", plain.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_in_idle_sees_a_message_appended_by_another_connection_within_a_second()
    {
        var address = await mail.AddMailboxAsync("idle", Password);

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            watcher = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            watcher.login(address, password)
            watcher.select('INBOX')
            tag = watcher._new_tag()
            watcher.send(tag + b' IDLE\r\n')
            print('idle', watcher.readline().decode().strip())
            other = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            other.login(address, password)
            appended = time.time()
            other.append('INBOX', None, None, MESSAGE)
            watcher.sock.settimeout(5)
            print('told', watcher.readline().decode().strip())
            print('within', time.time() - appended)
            print('recent', watcher.readline().decode().strip())
            other.select('INBOX')
            other.store('1', '+FLAGS', '(\\Flagged)')
            print('flags', watcher.readline().decode().strip())
            watcher.send(b'DONE\r\n')
            print('done', watcher.readline().decode().strip())
            """,
            Port("Imaps"), address, Password);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("idle + idling", result.Output, StringComparison.Ordinal);
        Assert.Contains("told * 1 EXISTS", result.Output, StringComparison.Ordinal);
        Assert.True(Seconds(result.Output, "within") < 1, result.Output);
        Assert.Contains("recent * 1 RECENT", result.Output, StringComparison.Ordinal);
        Assert.Contains(@"flags * 1 FETCH (UID 1 FLAGS (\Flagged \Recent))", result.Output, StringComparison.Ordinal);
        Assert.Contains("OK IDLE terminated.", Line(result.Output, "done"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_message_is_recent_to_the_first_session_that_selects_its_folder_and_not_to_a_later_one()
    {
        var address = await mail.AddMailboxAsync("recent", Password);

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            def session():
                m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
                m.login(address, password)
                return m

            def flags(m, n):
                return m.fetch(n, '(FLAGS)')[1][0].decode()

            sender = session()
            sender.append('INBOX', None, None, MESSAGE)
            sender.append('INBOX', '(\\Seen)', None, MESSAGE)
            print('status before', sender.status('INBOX', '(RECENT)')[1][0].decode())
            looker = session()
            looker.select('INBOX', readonly=True)
            print('examine recent', looker.response('RECENT')[1][0].decode())
            print('status after examine', sender.status('INBOX', '(RECENT)')[1][0].decode())
            first = session()
            first.select('INBOX')
            print('first recent', first.response('RECENT')[1][0].decode())
            print('first flags', flags(first, '1'))
            print('first new', first.search(None, 'NEW')[1][0].decode())
            print('first recent search', first.search(None, 'RECENT')[1][0].decode())
            second = session()
            second.select('INBOX')
            print('second recent', second.response('RECENT')[1][0].decode())
            print('second flags', flags(second, '1'))
            print('second old', second.search(None, 'OLD')[1][0].decode())
            sender.append('INBOX', None, None, MESSAGE)
            first.noop()
            print('arrival', first.response('EXISTS')[1][-1].decode(), first.response('RECENT')[1][-1].decode())
            print('arrival flags', flags(first, '3'))
            first.logout()
            second.logout()
            third = session()
            third.select('INBOX')
            print('third recent', third.response('RECENT')[1][0].decode())
            print('status at last', sender.status('INBOX', '(RECENT)')[1][0].decode())
            rev2 = session()
            rev2._simple_command('ENABLE', 'IMAP4rev2')
            sender.append('INBOX', None, None, MESSAGE)
            rev2.select('INBOX')
            print('rev2 recent', rev2.response('RECENT')[1])
            print('rev2 flags', flags(rev2, '4'))
            """,
            Port("Imaps"), address, Password);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var output = result.Output;
        Assert.Contains("status before \"INBOX\" (RECENT 2)", output, StringComparison.Ordinal);
        // EXAMINE sees them as recent and leaves them so (RFC 3501 §6.3.2).
        Assert.Contains("examine recent 2", output, StringComparison.Ordinal);
        Assert.Contains("status after examine \"INBOX\" (RECENT 2)", output, StringComparison.Ordinal);
        Assert.Contains("first recent 2", output, StringComparison.Ordinal);
        Assert.Contains(@"first flags 1 (FLAGS (\Recent))", output, StringComparison.Ordinal);
        Assert.Contains("first new 1\n", output, StringComparison.Ordinal);
        Assert.Contains("first recent search 1 2\n", output, StringComparison.Ordinal);
        Assert.Contains("second recent 0", output, StringComparison.Ordinal);
        Assert.Contains("second flags 1 (FLAGS ())", output, StringComparison.Ordinal);
        Assert.Contains("second old 1 2\n", output, StringComparison.Ordinal);
        Assert.Equal("arrival 3 3", Line(output, "arrival"));
        Assert.Contains(@"arrival flags 3 (FLAGS (\Recent))", output, StringComparison.Ordinal);
        // The sessions that saw the third message have left: it is news to no one now.
        Assert.Contains("third recent 0", output, StringComparison.Ordinal);
        Assert.Contains("status at last \"INBOX\" (RECENT 0)", output, StringComparison.Ordinal);
        // IMAP4rev2 has no \Recent (RFC 9051 Appendix E).
        Assert.Contains("rev2 recent [None]", output, StringComparison.Ordinal);
        Assert.Contains("rev2 flags 4 (FLAGS ())", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_change_from_the_cli_ends_an_idling_client_with_bye_at_once_and_the_old_password_is_refused()
    {
        var address = await mail.AddMailboxAsync("bye", Password);

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            m.login(address, password)
            m.select('INBOX')
            m.send(m._new_tag() + b' IDLE\r\n')
            print('idle', m.readline().decode().strip())
            cli(['mailbox', 'passwd', address, '--password-stdin'], new_password)
            changed = time.time()
            m.sock.settimeout(5)
            line = m.readline()
            while line.startswith(b'* ') and b'BYE' not in line:
                line = m.readline()
            print('told', line.decode().strip())
            print('closed', m.readline() == b'')
            print('within', time.time() - changed)
            try:
                imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls).login(address, password)
                print('old password accepted')
            except imaplib.IMAP4.error as e:
                print('old password refused', e)
            print('new password', imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls).login(address, new_password)[0])
            """,
            [Port("Imaps"), address, Password, NewPassword, .. mail.Mailstead.CommandLine()]);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("told * BYE The password of this mailbox was changed.", result.Output, StringComparison.Ordinal);
        Assert.Contains("closed True", result.Output, StringComparison.Ordinal);
        Assert.True(Seconds(result.Output, "within") < 1, result.Output);
        Assert.Contains("old password refused b'[AUTHENTICATIONFAILED]", result.Output, StringComparison.Ordinal);
        Assert.Contains("new password OK", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_condstore_client_sees_modseqs_fetches_only_changes_and_a_conditional_store_is_refused_for_a_message_changed_elsewhere()
    {
        var address = await mail.AddMailboxAsync("condstore", Password);

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            import re
            m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            m.login(address, password)
            print('caps', m.capability()[1][0].decode())
            for _ in range(3):
                m.append('INBOX', None, None, MESSAGE)
            print('enable', m.enable('CONDSTORE')[0], m.response('ENABLED')[1])
            m.select('INBOX')
            known = int(m.response('HIGHESTMODSEQ')[1][0])
            other = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            other.login(address, password)
            other.select('INBOX')
            other.uid('STORE', '2', '+FLAGS', '(\\Flagged)')
            typ, data = m._simple_command('UID', 'FETCH', '1:*', '(FLAGS)', '(CHANGEDSINCE %d)' % known)
            print('changed', typ, ' | '.join(x.decode() for x in m.response('FETCH')[1]))
            typ, data = m._simple_command('UID', 'STORE', '1:3', '(UNCHANGEDSINCE %d)' % known, '+FLAGS.SILENT', '(\\Seen)')
            print('store', typ, data[0].decode(), '|', ' | '.join(x.decode() for x in m.response('FETCH')[1]))
            typ, data = m._simple_command('STORE', '1:2', '(UNCHANGEDSINCE 0)', '+FLAGS', '(\\Draft)')
            print('never', typ, data[0].decode())
            typ, data = m.uid('FETCH', '1:*', '(FLAGS MODSEQ)')
            print('flags', ' | '.join(x.decode() for x in data))
            typ, data = m._simple_command('SEARCH', 'MODSEQ', str(known + 1))
            print('search', typ, m.response('SEARCH')[1][0].decode())
            other.uid('STORE', '3', '+FLAGS', '(\\Answered)')
            m.noop()
            print('noop', m.response('FETCH')[1][0].decode())
            print('status', other.status('INBOX', '(HIGHESTMODSEQ)')[1][0].decode(), 'known', known)
            """,
            Port("Imaps"), address, Password);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var output = result.Output;
        Assert.Contains(" CONDSTORE", Line(output, "caps"), StringComparison.Ordinal);
        Assert.True(output.Contains("enable OK", StringComparison.Ordinal), output);
        Assert.Contains("enable OK [b'CONDSTORE']", output, StringComparison.Ordinal);
        Assert.Matches(@"^changed OK 2 \(UID 2 FLAGS \(\\Flagged \\Recent\) MODSEQ \(\d+\)\)$", Line(output, "changed").TrimEnd());
        Assert.Matches(@"^store OK \[MODIFIED 2\] .* \| 1 \(UID 1 MODSEQ \(\d+\)\) \| 3 \(UID 3 MODSEQ \(\d+\)\)$", Line(output, "store").TrimEnd());
        // §3.1.3 example 8: UNCHANGEDSINCE 0 always fails; STORE names messages by number.
        Assert.StartsWith("never OK [MODIFIED 1:2]", Line(output, "never"), StringComparison.Ordinal);
        Assert.Matches(@"1 \(UID 1 FLAGS \(\\Seen \\Recent\) MODSEQ \(\d+\)\) \| 2 \(UID 2 FLAGS \(\\Flagged \\Recent\) MODSEQ \(\d+\)\) \| 3 \(UID 3 FLAGS \(\\Seen \\Recent\) MODSEQ \(\d+\)\)", Line(output, "flags"));
        Assert.Matches(@"search OK 1 2 3 \(MODSEQ \d+\)", Line(output, "search"));
        Assert.Matches(@"noop 3 \(UID 3 FLAGS \(\\Seen \\Answered \\Recent\) MODSEQ \(\d+\)\)", Line(output, "noop"));
        var status = Line(output, "status");
        var highest = long.Parse(status[(status.IndexOf("HIGHESTMODSEQ ", StringComparison.Ordinal) + 14)..status.IndexOf(')', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        Assert.True(highest > long.Parse(status[(status.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture), status);
    }

    [Fact]
    public async Task A_qresync_client_reopening_a_folder_is_told_only_what_vanished_and_changed_since_and_later_expunges_as_vanished()
    {
        var address = await mail.AddMailboxAsync("qresync", Password);

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            m.login(address, password)
            for _ in range(4):
                m.append('INBOX', None, None, MESSAGE)
            try:
                m._simple_command('SELECT', 'INBOX', '(QRESYNC (1 1))')
                print('before enable accepted')
            except imaplib.IMAP4.error as e:
                print('before enable refused', e)
            print('enable', m.enable('QRESYNC')[0], m.response('ENABLED')[1])
            m.select('INBOX')
            validity = m.response('UIDVALIDITY')[1][0].decode()
            known = int(m.response('HIGHESTMODSEQ')[1][0])
            other = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            other.login(address, password)
            other.select('INBOX')
            other.uid('STORE', '2', '+FLAGS', '(\\Deleted)')
            other.expunge()
            other.uid('STORE', '3', '+FLAGS', '(\\Flagged)')
            typ, data = m._simple_command('SELECT', 'INBOX', '(QRESYNC (%s %d 1:4))' % (validity, known))
            print('reselect', typ, 'CLOSED' in m.untagged_responses)
            print('vanished earlier', m.response('VANISHED')[1][0].decode())
            print('changed', ' | '.join(x.decode() for x in m.response('FETCH')[1]))
            m.state = 'SELECTED'
            other.uid('STORE', '1', '+FLAGS', '(\\Deleted)')
            other.expunge()
            m.noop()
            print('vanished now', m.response('VANISHED')[1][0].decode(), m.response('EXPUNGE')[1])
            typ, data = m._simple_command('UID', 'FETCH', '1:4', '(FLAGS)', '(CHANGEDSINCE %d VANISHED)' % known)
            print('fetch vanished', m.response('VANISHED')[1][0].decode(), '|', ' | '.join(x.decode() for x in m.response('FETCH')[1]))
            """,
            Port("Imaps"), address, Password);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var output = result.Output;
        Assert.Contains("before enable refused", output, StringComparison.Ordinal);
        Assert.Contains("enable OK [b'QRESYNC']", output, StringComparison.Ordinal);
        Assert.Contains("reselect OK True", output, StringComparison.Ordinal);
        Assert.Contains("vanished earlier (EARLIER) 2\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Matches(@"^changed 2 \(UID 3 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$", Line(output, "changed").TrimEnd());
        Assert.True(output.Contains("vanished now 1 [None]", StringComparison.Ordinal), output);
        Assert.Matches(@"^fetch vanished \(EARLIER\) 1:2 \| 1 \(UID 3 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$", Line(output, "fetch vanished").TrimEnd());
    }

    [Fact]
    public async Task Keywords_beyond_what_a_message_keeps_get_no_limit_on_append_and_store_and_the_session_goes_on()
    {
        var address = await mail.AddMailboxAsync("keywords", Password);

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=tls)
            m.login(address, password)
            def keywords(prefix, count):
                return '(' + ' '.join(f'${prefix}{i:04}' for i in range(count)) + ')'
            typ, data = m.append('INBOX', keywords('Label', 300), None, MESSAGE)
            print('append many', typ, data[0].decode())
            print('append few', m.append('INBOX', '($Work)', None, MESSAGE)[0])
            m.select('INBOX')
            uid = m.uid('SEARCH', 'ALL')[1][0].split()[-1].decode()
            print('store half', m.uid('STORE', uid, '+FLAGS.SILENT', keywords('Label', 150))[0])
            typ, data = m.uid('STORE', uid, '+FLAGS.SILENT', keywords('Other', 150))
            print('store more', typ, data[-1].decode())
            print('noop', m.noop()[0])
            flags = m.uid('FETCH', uid, '(FLAGS)')[1][0]
            print('kept', b'$Work' in flags, flags.count(b'$Label'), flags.count(b'$Other'))
            m.logout()
            """,
            Port("Imaps"),
            address,
            Password);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.StartsWith("append many NO [LIMIT] The keywords come to more than the 2048 characters a message keeps.", Line(result.Output, "append many"), StringComparison.Ordinal);
        Assert.Equal("append few OK", Line(result.Output, "append few").TrimEnd());
        Assert.Equal("store half OK", Line(result.Output, "store half").TrimEnd());
        Assert.StartsWith("store more NO [LIMIT] Messages ", Line(result.Output, "store more"), StringComparison.Ordinal);
        Assert.Equal("noop OK", Line(result.Output, "noop").TrimEnd());
        Assert.Equal("kept True 150 0", Line(result.Output, "kept").TrimEnd());
    }

    [Fact]
    public async Task Malformed_commands_get_bad_and_the_connection_stays_usable()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", mail.Port("Imap"));
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("* OK [CAPABILITY IMAP4rev1", await reader.ReadLineAsync(), StringComparison.Ordinal);

        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "a1 FROB\r\n" + "\r\n" + "a2 SELECT INBOX\r\n" + "a3 LOGIN \"unterminated\r\n" + "a4 " + new string('x', 100_000) + "\r\n"
            + "a5 AUTHENTICATE PLAIN\r\n" + "a6 NOOP\r\n"));

        Assert.StartsWith("a1 BAD", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("* BAD", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("a2 BAD", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("a3 BAD", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("a4 BAD", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("a5 NO [PRIVACYREQUIRED]", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("a6 OK NOOP completed.", await reader.ReadLineAsync());
    }

    private static string Line(string output, string label) =>
        output.Split('\n').FirstOrDefault(l => l.StartsWith(label + " ", StringComparison.Ordinal)) ?? $"(no line '{label}' in)\n{output}";

    private static double Seconds(string output, string label) =>
        double.Parse(Line(output, label)[(label.Length + 1)..], CultureInfo.InvariantCulture);

    /// <summary>
    /// Arguments: port, address, password, then optionally the new password and the CLI's command line
    /// (<c>cli(args, stdin)</c> runs it, as the server's administrator would).
    /// </summary>
    private const string PythonPrelude = """
        import imaplib, ssl, subprocess, sys, time
        port, address, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        new_password = sys.argv[4] if len(sys.argv) > 4 else None
        command_line = sys.argv[5:]
        tls = ssl.create_default_context()
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
        MESSAGE = (b'From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: =?utf-8?q?H=C3=A9llo?= there\r\n'
                   b'Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <x@example.org>\r\nMIME-Version: 1.0\r\n'
                   b'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
                   b'The body says banana.\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n'
                   b'AAAA\r\n--b--\r\n')

        def cli(args, stdin):
            run = subprocess.run(command_line[:2] + args + command_line[2:], input=stdin + '\n', text=True, capture_output=True)
            assert run.returncode == 0, run.stderr

        """;
}
