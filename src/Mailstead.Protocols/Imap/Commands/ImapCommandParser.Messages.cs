namespace Mailstead.Protocols.Imap.Commands;

// FETCH, STORE, COPY and MOVE: the commands that name messages by a sequence set.
internal static partial class ImapCommandParser
{
    private static readonly FetchItem[] Fast = [FetchItem.Of(FetchItemKind.Flags), FetchItem.Of(FetchItemKind.InternalDate), FetchItem.Of(FetchItemKind.Rfc822Size)];
    private static readonly FetchItem[] All = [.. Fast, FetchItem.Of(FetchItemKind.Envelope)];
    private static readonly FetchItem[] Full = [.. All, FetchItem.Of(FetchItemKind.Body)];

    /// <summary>
    /// fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
    /// "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers] (RFC 4466 §2.1).
    /// </summary>
    private static FetchCommand? Fetch(ref ImapTokenReader r, string tag, bool uid)
    {
        if (!r.Sp() || !r.SequenceSet(out var set) || !r.Sp())
        {
            return null;
        }
        IReadOnlyList<FetchItem> items;
        if (r.TryWord("ALL"))
        {
            items = All;
        }
        else if (r.TryWord("FAST"))
        {
            items = Fast;
        }
        else if (r.TryWord("FULL"))
        {
            items = Full;
        }
        else if (r.TryConsume((byte)'('))
        {
            var list = new List<FetchItem>();
            do
            {
                if (!FetchAttribute(ref r, out var item))
                {
                    return null;
                }
                list.Add(item);
            }
            while (r.TryConsume((byte)' '));
            if (!r.Expect((byte)')', "\")\" closing the fetch items"))
            {
                return null;
            }
            items = list;
        }
        else if (FetchAttribute(ref r, out var single))
        {
            items = [single];
        }
        else
        {
            return null;
        }

        ulong? changedSince = null;
        var vanished = false;
        if (r.TryConsume((byte)' '))
        {
            if (!r.Expect((byte)'(', "\"(\" opening the fetch modifiers"))
            {
                return null;
            }
            do
            {
                if (r.TryWord("CHANGEDSINCE"))
                {
                    if (!r.Sp() || !r.Number64(out var modSeq, "a mod-sequence"))
                    {
                        return null;
                    }
                    changedSince = modSeq;
                }
                else if (r.TryWord("VANISHED"))
                {
                    vanished = true;
                }
                else
                {
                    r.Expected("CHANGEDSINCE or VANISHED");
                    return null;
                }
            }
            while (r.TryConsume((byte)' '));
            if (!r.Expect((byte)')', "\")\" closing the fetch modifiers"))
            {
                return null;
            }
        }
        // RFC 7162 §3.2.6: VANISHED only in UID FETCH, and only with CHANGEDSINCE.
        if (vanished && (!uid || changedSince is null))
        {
            r.Fail(ImapRejectReason.SyntaxError, "VANISHED needs UID FETCH with CHANGEDSINCE");
            return null;
        }
        return new FetchCommand(tag, uid, set, items, changedSince, vanished);
    }

    /// <summary>fetch-att of RFC 9051 §9 (which folds in RFC 3516 BINARY) plus MODSEQ (RFC 7162).</summary>
    private static bool FetchAttribute(ref ImapTokenReader r, out FetchItem item)
    {
        item = null!;
        if (!r.Chars(ImapChars.FetchAttribute, out var name, "a fetch item"))
        {
            return false;
        }
        var upper = name.ToUpperInvariant();
        FetchItemKind? plain = upper switch
        {
            "ENVELOPE" => FetchItemKind.Envelope,
            "FLAGS" => FetchItemKind.Flags,
            "INTERNALDATE" => FetchItemKind.InternalDate,
            "RFC822" => FetchItemKind.Rfc822,
            "RFC822.HEADER" => FetchItemKind.Rfc822Header,
            "RFC822.SIZE" => FetchItemKind.Rfc822Size,
            "RFC822.TEXT" => FetchItemKind.Rfc822Text,
            "BODYSTRUCTURE" => FetchItemKind.BodyStructure,
            "UID" => FetchItemKind.Uid,
            "MODSEQ" => FetchItemKind.ModSeq,
            "BODY" when !r.IsNext((byte)'[') => FetchItemKind.Body,
            _ => null,
        };
        if (plain is { } kind)
        {
            item = FetchItem.Of(kind);
            return true;
        }
        switch (upper)
        {
            case "BODY" or "BODY.PEEK":
                if (!r.Section(out var section) || !Partial(ref r, out var partial))
                {
                    return false;
                }
                item = new FetchItem(FetchItemKind.BodySection, section, partial, Peek: upper == "BODY.PEEK");
                return true;
            case "BINARY" or "BINARY.PEEK":
                if (!SectionPart(ref r, out var part) || !Partial(ref r, out var binaryPartial))
                {
                    return false;
                }
                item = new FetchItem(FetchItemKind.BinarySection, part, binaryPartial, Peek: upper == "BINARY.PEEK");
                return true;
            case "BINARY.SIZE":
                if (!SectionPart(ref r, out var sizePart))
                {
                    return false;
                }
                item = new FetchItem(FetchItemKind.BinarySize, sizePart);
                return true;
            default:
                return r.Fail(ImapRejectReason.SyntaxError, $"Unknown fetch item {ImapChars.Printable(name)}");
        }
    }

    /// <summary>section-binary = "[" [section-part] "]"; section-part = nz-number *("." nz-number).</summary>
    private static bool SectionPart(ref ImapTokenReader r, out string part)
    {
        part = "";
        if (!r.Expect((byte)'[', "\"[\""))
        {
            return false;
        }
        if (r.TryConsume((byte)']'))
        {
            return true;
        }
        var numbers = new List<uint>();
        do
        {
            if (!r.NonZeroNumber(out var number, "a body part number"))
            {
                return false;
            }
            numbers.Add(number);
        }
        while (r.TryConsume((byte)'.'));
        part = string.Join('.', numbers);
        return r.Expect((byte)']', "\"]\" closing the section");
    }

    /// <summary>partial = "&lt;" number64 "." nz-number64 "&gt;" (RFC 9051 §9).</summary>
    private static bool Partial(ref ImapTokenReader r, out FetchPartial? partial)
    {
        partial = null;
        if (!r.TryConsume((byte)'<'))
        {
            return true;
        }
        if (!r.Number64(out var offset, "a partial offset") || !r.Expect((byte)'.', "\".\" in the partial range")
            || !r.Number64(out var length, "a partial length") || !r.Expect((byte)'>', "\">\" closing the partial range"))
        {
            return false;
        }
        if (length == 0)
        {
            return r.Fail(ImapRejectReason.NumberOutOfRange, "Partial length must not be 0");
        }
        partial = new FetchPartial((long)offset, (long)length);
        return true;
    }

    /// <summary>
    /// store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags (RFC 4466 §2.5);
    /// store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag))).
    /// </summary>
    private static StoreCommand? Store(ref ImapTokenReader r, string tag, bool uid)
    {
        if (!r.Sp() || !r.SequenceSet(out var set) || !r.Sp())
        {
            return null;
        }
        ulong? unchangedSince = null;
        if (r.TryConsume((byte)'('))
        {
            // The one store-modifier defined: UNCHANGEDSINCE (RFC 7162 §3.1.3).
            if ((!r.TryWord("UNCHANGEDSINCE") && !r.Expected("UNCHANGEDSINCE")) || !r.Sp()
                || !r.Number64(out var modSeq, "a mod-sequence") || !r.Expect((byte)')', "\")\" closing the store modifiers") || !r.Sp())
            {
                return null;
            }
            unchangedSince = modSeq;
        }
        var mode = r.TryConsume((byte)'+') ? StoreMode.Add : r.TryConsume((byte)'-') ? StoreMode.Remove : StoreMode.Replace;
        bool silent;
        if (r.TryWord("FLAGS"))
        {
            silent = false;
        }
        else if (r.TryWord("FLAGS.SILENT"))
        {
            silent = true;
        }
        else
        {
            r.Expected("FLAGS, +FLAGS or -FLAGS");
            return null;
        }
        if (!r.Sp())
        {
            return null;
        }
        List<string> flags;
        if (r.IsNext((byte)'('))
        {
            if (!r.FlagList(out flags))
            {
                return null;
            }
        }
        else
        {
            flags = [];
            do
            {
                if (!r.Flag(out var flag))
                {
                    return null;
                }
                flags.Add(flag);
            }
            while (r.TryConsume((byte)' '));
        }
        return new StoreCommand(tag, uid, set, mode, silent, flags, unchangedSince);
    }

    /// <summary>copy = "COPY" SP sequence-set SP mailbox; move likewise (RFC 6851 §3.3).</summary>
    private static CopyCommand? Copy(ref ImapTokenReader r, string tag, ImapCommandName name, bool uid) =>
        r.Sp() && r.SequenceSet(out var set) && r.Sp() && r.Mailbox(out var mailbox)
            ? new CopyCommand(tag, name, uid, set, mailbox)
            : null;
}
