using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Mailstead.Protocols.Imap.Commands;

/// <summary>
/// Parses one framed command (from <see cref="ImapCommandFramer"/>) into the command
/// model, following the Formal Syntax of RFC 3501 §9 and the extensions' ABNF
/// (RFC 4466, 7162, 5258, 6154, 4731, 3516, 2971, 5161, 4959, 4315, 6851, 9051).
/// Synchronous, allocation-light, and never throws on input: a bad command comes
/// back as an <see cref="ImapRejection"/>.
/// </summary>
internal static partial class ImapCommandParser
{
    /// <summary>
    /// Parses <paramref name="command"/>, a complete command without its final CRLF
    /// and with literals inline. <paramref name="utf8Enabled"/> is set once the client
    /// sent ENABLE IMAP4rev2 (RFC 9051 §5.1, §9 QUOTED-CHAR) or UTF8=ACCEPT (RFC 6855):
    /// quoted strings and mailbox names are UTF-8.
    /// </summary>
    public static bool TryParse(
        ReadOnlySequence<byte> command,
        bool utf8Enabled,
        [NotNullWhen(true)] out ImapCommand? parsed,
        [NotNullWhen(false)] out ImapRejection? rejection)
    {
        var reader = new ImapTokenReader(command, utf8Enabled);
        parsed = null;
        rejection = null;
        // tag = 1*<any ASTRING-CHAR except "+">; without one the answer is untagged.
        if (!reader.Chars(ImapChars.Tag, out var tag, "a tag") || !reader.Sp())
        {
            rejection = new ImapRejection(ImapRejectReason.InvalidTag, null,
                reader.End && tag.Length == 0 ? "Empty command line" : "Command must start with a tag and a space");
            return false;
        }
        if (!reader.Atom(out var name, "a command name"))
        {
            rejection = new ImapRejection(reader.ErrorReason, tag, reader.ErrorMessage!);
            return false;
        }
        parsed = Command(ref reader, tag, name.ToUpperInvariant());
        if (parsed is not null && reader.ExpectEnd())
        {
            return true;
        }
        parsed = null;
        rejection = new ImapRejection(reader.ErrorMessage is null ? ImapRejectReason.UnknownCommand : reader.ErrorReason, tag,
            reader.ErrorMessage ?? $"Unknown command {ImapChars.Printable(name)}")
        {
            ClearsSavedResult = reader.ClearsSavedResult,
        };
        return false;
    }

    /// <summary>Whether a line read during IDLE is the "DONE" that ends it (RFC 2177 §3; case-insensitive per RFC 3501 §9).</summary>
    public static bool IsIdleDone(ReadOnlySpan<byte> line) => System.Text.Ascii.EqualsIgnoreCase(line, "DONE"u8);

    private static ImapCommand? Command(ref ImapTokenReader r, string tag, string name) => name switch
    {
        "CAPABILITY" => new SimpleCommand(tag, ImapCommandName.Capability),
        "NOOP" => new SimpleCommand(tag, ImapCommandName.Noop),
        "LOGOUT" => new SimpleCommand(tag, ImapCommandName.Logout),
        "STARTTLS" => new SimpleCommand(tag, ImapCommandName.StartTls),
        "CHECK" => new SimpleCommand(tag, ImapCommandName.Check),
        "CLOSE" => new SimpleCommand(tag, ImapCommandName.Close),
        "UNSELECT" => new SimpleCommand(tag, ImapCommandName.Unselect),
        "IDLE" => new SimpleCommand(tag, ImapCommandName.Idle),
        "NAMESPACE" => new SimpleCommand(tag, ImapCommandName.Namespace),
        "EXPUNGE" => new ExpungeCommand(tag, null),
        "AUTHENTICATE" => Authenticate(ref r, tag),
        "LOGIN" => Login(ref r, tag),
        "SELECT" => Select(ref r, tag, ImapCommandName.Select),
        "EXAMINE" => Select(ref r, tag, ImapCommandName.Examine),
        "CREATE" => Create(ref r, tag),
        "DELETE" => Mailbox(ref r, tag, ImapCommandName.Delete),
        "SUBSCRIBE" => Mailbox(ref r, tag, ImapCommandName.Subscribe),
        "UNSUBSCRIBE" => Mailbox(ref r, tag, ImapCommandName.Unsubscribe),
        "RENAME" => Rename(ref r, tag),
        "LIST" => List(ref r, tag, ImapCommandName.List),
        "LSUB" => List(ref r, tag, ImapCommandName.Lsub),
        "STATUS" => Status(ref r, tag),
        "APPEND" => Append(ref r, tag),
        "ID" => Id(ref r, tag),
        "ENABLE" => Enable(ref r, tag),
        "UID" => Uid(ref r, tag),
        "SEARCH" => Search(ref r, tag, uid: false),
        "FETCH" => Fetch(ref r, tag, uid: false),
        "STORE" => Store(ref r, tag, uid: false),
        "COPY" => Copy(ref r, tag, ImapCommandName.Copy, uid: false),
        "MOVE" => Copy(ref r, tag, ImapCommandName.Move, uid: false),
        _ => null,
    };

    /// <summary>uid = "UID" SP (copy / fetch / search / store / move / expunge) (RFC 3501, 4315 §2.1, 6851 §3.3).</summary>
    private static ImapCommand? Uid(ref ImapTokenReader r, string tag)
    {
        if (!r.Sp() || !r.Atom(out var name, "a command after UID"))
        {
            return null;
        }
        ImapCommand? command = name.ToUpperInvariant() switch
        {
            "SEARCH" => Search(ref r, tag, uid: true),
            "FETCH" => Fetch(ref r, tag, uid: true),
            "STORE" => Store(ref r, tag, uid: true),
            "COPY" => Copy(ref r, tag, ImapCommandName.Copy, uid: true),
            "MOVE" => Copy(ref r, tag, ImapCommandName.Move, uid: true),
            "EXPUNGE" => r.Sp() && r.SequenceSet(out var uids) ? new ExpungeCommand(tag, uids) : null,
            _ => null,
        };
        if (command is null)
        {
            r.Fail(ImapRejectReason.UnknownCommand, $"UID {ImapChars.Printable(name)} is not a UID command");
        }
        return command;
    }

    /// <summary>authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")] (RFC 4959 §7).</summary>
    private static AuthenticateCommand? Authenticate(ref ImapTokenReader r, string tag)
    {
        if (!r.Sp() || !r.Atom(out var mechanism, "a SASL mechanism"))
        {
            return null;
        }
        string? initial = null;
        if (r.TryConsume((byte)' ') && !r.Chars(Base64Chars, out initial, "a base64 initial response"))
        {
            return null;
        }
        if (initial is not null && initial != "=" && !IsBase64(initial))
        {
            r.Fail(ImapRejectReason.SyntaxError, "Initial response is not valid base64");
            return null;
        }
        return new AuthenticateCommand(tag, mechanism.ToUpperInvariant(), initial);
    }

    private static readonly SearchValues<byte> Base64Chars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);

    /// <summary>base64 = *(4base64-char) [base64-terminal] (RFC 3501 §9).</summary>
    private static bool IsBase64(string text)
    {
        var padding = text.Length - text.TrimEnd('=').Length;
        return text.Length % 4 == 0 && padding <= 2 && text.TrimEnd('=').IndexOf('=', StringComparison.Ordinal) < 0;
    }

    private static LoginCommand? Login(ref ImapTokenReader r, string tag) =>
        r.Sp() && r.Astring(out var user, "a user name") && r.Sp() && r.Astring(out var password, "a password")
            ? new LoginCommand(tag, user, password)
            : null;

    private static MailboxCommand? Mailbox(ref ImapTokenReader r, string tag, ImapCommandName name) =>
        r.Sp() && r.Mailbox(out var mailbox) ? new MailboxCommand(tag, name, mailbox) : null;

    private static RenameCommand? Rename(ref ImapTokenReader r, string tag) =>
        r.Sp() && r.Mailbox(out var from) && r.Sp() && r.Mailbox(out var to) ? new RenameCommand(tag, from, to) : null;

    /// <summary>
    /// select = "SELECT" SP mailbox [select-params] (RFC 4466 §2.1), with the params
    /// of RFC 7162 §7: "CONDSTORE" and "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
    /// [SP known-uids] [SP seq-match-data] ")".
    /// </summary>
    private static SelectCommand? Select(ref ImapTokenReader r, string tag, ImapCommandName name)
    {
        if (!r.Sp() || !r.Mailbox(out var mailbox))
        {
            return null;
        }
        var condStore = false;
        QResyncParameters? qresync = null;
        if (r.TryConsume((byte)' '))
        {
            if (!r.Expect((byte)'(', "\"(\" opening the select parameters"))
            {
                return null;
            }
            do
            {
                if (r.TryWord("CONDSTORE"))
                {
                    condStore = true;
                }
                else if (r.TryWord("QRESYNC"))
                {
                    if (!r.Sp() || !QResync(ref r, out qresync))
                    {
                        return null;
                    }
                }
                else
                {
                    r.Expected("CONDSTORE or QRESYNC");
                    return null;
                }
            }
            while (r.TryConsume((byte)' '));
            if (!r.Expect((byte)')', "\")\" closing the select parameters"))
            {
                return null;
            }
        }
        return new SelectCommand(tag, name, mailbox, condStore, qresync);
    }

    private static bool QResync(ref ImapTokenReader r, [NotNullWhen(true)] out QResyncParameters? parameters)
    {
        parameters = null;
        if (!r.Expect((byte)'(', "\"(\" opening the QRESYNC parameters") || !r.NonZeroNumber(out var uidValidity, "a UIDVALIDITY")
            || !r.Sp() || !r.Number64(out var modSeq, "a mod-sequence"))
        {
            return false;
        }
        SequenceSet? knownUids = null, knownNumbers = null, knownNumberUids = null;
        // known-uids, seq-match-data: "*" is not allowed in either (RFC 7162 §7).
        var more = r.TryConsume((byte)' ');
        if (more && !r.IsNext((byte)'('))
        {
            if (!r.SequenceSet(out knownUids, allowStar: false))
            {
                return false;
            }
            more = r.TryConsume((byte)' ');
        }
        if (more && (!r.Expect((byte)'(', "\"(\" opening the sequence match data")
            || !r.SequenceSet(out knownNumbers, allowStar: false) || !r.Sp() || !r.SequenceSet(out knownNumberUids, allowStar: false)
            || !r.Expect((byte)')', "\")\" closing the sequence match data")))
        {
            return false;
        }
        if (!r.Expect((byte)')', "\")\" closing the QRESYNC parameters"))
        {
            return false;
        }
        parameters = new QResyncParameters(uidValidity, modSeq, knownUids, knownNumbers, knownNumberUids);
        return true;
    }

    /// <summary>create = "CREATE" SP mailbox [SP "(" "USE" SP "(" [use-attr *(SP use-attr)] ")" ")"] (RFC 6154 §6).</summary>
    private static CreateCommand? Create(ref ImapTokenReader r, string tag)
    {
        if (!r.Sp() || !r.Mailbox(out var mailbox))
        {
            return null;
        }
        var uses = new List<string>();
        if (r.TryConsume((byte)' '))
        {
            if (!r.Expect((byte)'(', "\"(\" opening the create parameters") || (!r.TryWord("USE") && !r.Expected("USE"))
                || !r.Sp() || !r.Expect((byte)'(', "\"(\" opening the special-use list"))
            {
                return null;
            }
            if (!r.TryConsume((byte)')'))
            {
                do
                {
                    if (!r.Expect((byte)'\\', "a special-use attribute such as \\Drafts") || !r.Atom(out var use, "a special-use attribute"))
                    {
                        return null;
                    }
                    uses.Add("\\" + use);
                }
                while (r.TryConsume((byte)' '));
                if (!r.Expect((byte)')', "\")\" closing the special-use list"))
                {
                    return null;
                }
            }
            if (!r.Expect((byte)')', "\")\" closing the create parameters"))
            {
                return null;
            }
        }
        return new CreateCommand(tag, mailbox, uses);
    }

    /// <summary>
    /// status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"; status-att
    /// as RFC 3501 plus HIGHESTMODSEQ (RFC 7162) and SIZE, DELETED (RFC 9051).
    /// </summary>
    private static StatusCommand? Status(ref ImapTokenReader r, string tag) =>
        r.Sp() && r.Mailbox(out var mailbox) && r.Sp() && StatusItemList(ref r, out var items)
            ? new StatusCommand(tag, mailbox, items)
            : null;

    private static bool StatusItemList(ref ImapTokenReader r, out StatusItems items)
    {
        items = StatusItems.None;
        if (!r.Expect((byte)'(', "\"(\" opening the status items"))
        {
            return false;
        }
        do
        {
            if (!r.Atom(out var item, "a status item"))
            {
                return false;
            }
            var flag = item.ToUpperInvariant() switch
            {
                "MESSAGES" => StatusItems.Messages,
                "RECENT" => StatusItems.Recent,
                "UIDNEXT" => StatusItems.UidNext,
                "UIDVALIDITY" => StatusItems.UidValidity,
                "UNSEEN" => StatusItems.Unseen,
                "HIGHESTMODSEQ" => StatusItems.HighestModSeq,
                "SIZE" => StatusItems.Size,
                "DELETED" => StatusItems.Deleted,
                _ => StatusItems.None,
            };
            if (flag == StatusItems.None)
            {
                return r.Fail(ImapRejectReason.SyntaxError, $"Unknown status item {ImapChars.Printable(item)}");
            }
            items |= flag;
        }
        while (r.TryConsume((byte)' '));
        return r.Expect((byte)')', "\")\" closing the status items");
    }

    /// <summary>
    /// append = "APPEND" SP mailbox 1*append-message; append-message = [SP flag-list]
    /// [SP date-time] SP (literal / literal8) (RFC 4466 §2.1; several messages with
    /// MULTIAPPEND, RFC 3502).
    /// </summary>
    private static AppendCommand? Append(ref ImapTokenReader r, string tag)
    {
        if (!r.Sp() || !r.Mailbox(out var mailbox))
        {
            return null;
        }
        var messages = new List<AppendMessage>();
        while (r.TryConsume((byte)' '))
        {
            List<string> flags = [];
            DateTimeOffset? date = null;
            if (r.IsNext((byte)'(') && (!r.FlagList(out flags) || !r.Sp()))
            {
                return null;
            }
            if (r.IsNext((byte)'"'))
            {
                if (!r.DateTime(out var internalDate) || !r.Sp())
                {
                    return null;
                }
                date = internalDate;
            }
            if (!r.Literal(allowBinary: true, out var content, out var binary))
            {
                return null;
            }
            messages.Add(new AppendMessage(flags, date, content, binary));
        }
        if (messages.Count == 0)
        {
            r.Expected("a message literal");
            return null;
        }
        return new AppendCommand(tag, mailbox, messages);
    }

    /// <summary>id = "ID" SP ("(" #(string SP nstring) ")" / NIL) (RFC 2971 §4).</summary>
    private static IdCommand? Id(ref ImapTokenReader r, string tag)
    {
        if (!r.Sp())
        {
            return null;
        }
        if (r.TryWord("NIL"))
        {
            return new IdCommand(tag, null);
        }
        if (!r.Expect((byte)'(', "\"(\" or NIL"))
        {
            return null;
        }
        var pairs = new List<KeyValuePair<string, string?>>();
        if (!r.TryConsume((byte)')'))
        {
            do
            {
                if (!r.String(out var field, "a field name") || !r.Text(field, out var key) || !r.Sp() || !r.NString(out var value, "a value or NIL"))
                {
                    return null;
                }
                pairs.Add(new(key, value));
            }
            while (r.TryConsume((byte)' '));
            if (!r.Expect((byte)')', "\")\" closing the ID list"))
            {
                return null;
            }
        }
        return new IdCommand(tag, pairs);
    }

    /// <summary>"ENABLE" 1*(SP capability) (RFC 5161 §4).</summary>
    private static EnableCommand? Enable(ref ImapTokenReader r, string tag)
    {
        var capabilities = new List<string>();
        do
        {
            if (!r.Sp() || !r.Atom(out var capability, "a capability name"))
            {
                return null;
            }
            capabilities.Add(capability);
        }
        while (r.IsNext((byte)' '));
        return new EnableCommand(tag, capabilities);
    }
}
