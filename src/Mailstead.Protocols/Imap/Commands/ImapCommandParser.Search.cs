namespace Mailstead.Protocols.Imap.Commands;

// SEARCH: RFC 3501 §6.4.4 and §9 search-key, RFC 4466 §2.6 search-return-opts,
// RFC 4731 ESEARCH return options, RFC 7162 §3.1.5 MODSEQ.
internal static partial class ImapCommandParser
{
    /// <summary>search = "SEARCH" [search-return-opts] SP ["CHARSET" SP charset SP] search-key *(SP search-key).</summary>
    private static SearchCommand? Search(ref ImapTokenReader r, string tag, bool uid)
    {
        if (!r.Sp())
        {
            return null;
        }
        SearchReturn? returns = null;
        if (r.TryWord("RETURN"))
        {
            if (!r.Sp() || !SearchReturnOptions(ref r, out var options) || !r.Sp())
            {
                return null;
            }
            returns = options;
        }
        string? charset = null;
        if (r.TryWord("CHARSET"))
        {
            // charset = atom / quoted (RFC 4466 §2.6)
            byte[] raw = [];
            if (!r.Sp() || (r.IsNext((byte)'"') ? !r.String(out raw, "a charset") : !r.Atom(out charset, "a charset")) || !r.Sp())
            {
                return null;
            }
            charset ??= System.Text.Encoding.ASCII.GetString(raw);
            // Strings are read as UTF-8, of which US-ASCII is a subset; other charsets
            // get NO [BADCHARSET] (RFC 3501 §6.4.4).
            if (!charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase))
            {
                r.Fail(ImapRejectReason.UnsupportedCharset, $"Charset {ImapChars.Printable(charset)} is not supported");
                // RFC 9051 §6.4.4.1: a SEARCH RETURN (SAVE) answered NO leaves "$" empty (example 5).
                r.ClearsSavedResult = returns?.HasFlag(SearchReturn.Save) == true;
                return null;
            }
        }
        return SearchKeys(ref r) is { } criteria ? new SearchCommand(tag, uid, returns, charset, criteria) : null;
    }

    /// <summary>"RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")" with the options of RFC 4731 and SAVE (RFC 9051 §6.4.4.1).</summary>
    private static bool SearchReturnOptions(ref ImapTokenReader r, out SearchReturn options)
    {
        options = SearchReturn.None;
        if (!r.Expect((byte)'(', "\"(\" opening the return options"))
        {
            return false;
        }
        if (r.TryConsume((byte)')'))
        {
            return true;
        }
        do
        {
            if (!r.Atom(out var option, "a return option"))
            {
                return false;
            }
            var flag = option.ToUpperInvariant() switch
            {
                "MIN" => SearchReturn.Min,
                "MAX" => SearchReturn.Max,
                "ALL" => SearchReturn.All,
                "COUNT" => SearchReturn.Count,
                "SAVE" => SearchReturn.Save,
                _ => SearchReturn.None,
            };
            if (flag == SearchReturn.None)
            {
                return r.Fail(ImapRejectReason.SyntaxError, $"Unknown return option {ImapChars.Printable(option)}");
            }
            options |= flag;
        }
        while (r.TryConsume((byte)' '));
        return r.Expect((byte)')', "\")\" closing the return options");
    }

    private static SearchKey? SearchKey(ref ImapTokenReader r)
    {
        if (r.IsNext((byte)'('))
        {
            return SearchKeyList(ref r);
        }
        if (r.IsNext((byte)'*') || r.IsNext((byte)'$') || r.IsNextDigit)
        {
            return r.SequenceSet(out var set) ? new SequenceSetSearchKey(set, Uid: false) : null;
        }
        if (!r.Atom(out var name, "a search key"))
        {
            return null;
        }
        var upper = name.ToUpperInvariant();
        SearchFlag? flag = upper switch
        {
            "ALL" => SearchFlag.All,
            "ANSWERED" => SearchFlag.Answered,
            "DELETED" => SearchFlag.Deleted,
            "DRAFT" => SearchFlag.Draft,
            "FLAGGED" => SearchFlag.Flagged,
            "NEW" => SearchFlag.New,
            "OLD" => SearchFlag.Old,
            "RECENT" => SearchFlag.Recent,
            "SEEN" => SearchFlag.Seen,
            "UNANSWERED" => SearchFlag.Unanswered,
            "UNDELETED" => SearchFlag.Undeleted,
            "UNDRAFT" => SearchFlag.Undraft,
            "UNFLAGGED" => SearchFlag.Unflagged,
            "UNSEEN" => SearchFlag.Unseen,
            _ => null,
        };
        if (flag is { } f)
        {
            return new FlagSearchKey(f);
        }
        SearchTextField? field = upper switch
        {
            "BCC" => SearchTextField.Bcc,
            "BODY" => SearchTextField.Body,
            "CC" => SearchTextField.Cc,
            "FROM" => SearchTextField.From,
            "SUBJECT" => SearchTextField.Subject,
            "TEXT" => SearchTextField.Text,
            "TO" => SearchTextField.To,
            _ => null,
        };
        if (field is { } textField)
        {
            return r.Sp() && r.Astring(out var value, "a search string") ? new TextSearchKey(textField, value) : null;
        }
        (bool Sent, DateComparison Comparison)? date = upper switch
        {
            "BEFORE" => (false, DateComparison.Before),
            "ON" => (false, DateComparison.On),
            "SINCE" => (false, DateComparison.Since),
            "SENTBEFORE" => (true, DateComparison.Before),
            "SENTON" => (true, DateComparison.On),
            "SENTSINCE" => (true, DateComparison.Since),
            _ => null,
        };
        if (date is { } d)
        {
            return r.Sp() && r.Date(out var day) ? new DateSearchKey(d.Sent, d.Comparison, day) : null;
        }
        switch (upper)
        {
            case "KEYWORD" or "UNKEYWORD":
                return r.Sp() && r.Atom(out var keyword, "a keyword") ? new KeywordSearchKey(keyword, upper == "KEYWORD") : null;
            case "HEADER":
                return r.Sp() && r.Astring(out var fieldName, "a header field name") && r.Sp() && r.Astring(out var value, "a search string")
                    ? new HeaderSearchKey(fieldName, value)
                    : null;
            case "LARGER" or "SMALLER":
                return r.Sp() && r.Number(out var size, "a size") ? new SizeSearchKey(upper == "LARGER", size) : null;
            case "UID":
                return r.Sp() && r.SequenceSet(out var uids) ? new SequenceSetSearchKey(uids, Uid: true) : null;
            case "MODSEQ":
                return ModSeqKey(ref r);
            case "NOT":
                {
                    if (!r.Enter())
                    {
                        return null;
                    }
                    var not = r.Sp() && SearchKey(ref r) is { } inner ? new NotSearchKey(inner) : null;
                    r.Leave();
                    return not;
                }
            case "OR":
                {
                    if (!r.Enter())
                    {
                        return null;
                    }
                    var or = r.Sp() && SearchKey(ref r) is { } left && r.Sp() && SearchKey(ref r) is { } right ? new OrSearchKey(left, right) : null;
                    r.Leave();
                    return or;
                }
            default:
                r.Fail(ImapRejectReason.SyntaxError, $"Unknown search key {ImapChars.Printable(name)}");
                return null;
        }
    }

    /// <summary>"(" search-key *(SP search-key) ")".</summary>
    private static SearchKey? SearchKeyList(ref ImapTokenReader r)
    {
        if (!r.Enter())
        {
            return null;
        }
        r.TryConsume((byte)'(');
        var key = SearchKeys(ref r);
        r.Leave();
        return key is not null && r.Expect((byte)')', "\")\" closing the search keys") ? key : null;
    }

    /// <summary>search-key *(SP search-key): several keys must all match.</summary>
    private static SearchKey? SearchKeys(ref ImapTokenReader r)
    {
        var keys = new List<SearchKey>();
        do
        {
            if (SearchKey(ref r) is not { } key)
            {
                return null;
            }
            keys.Add(key);
        }
        while (r.TryConsume((byte)' '));
        return keys.Count == 1 ? keys[0] : new AndSearchKey(keys);
    }

    /// <summary>"MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer (RFC 7162 §7).</summary>
    private static ModSeqSearchKey? ModSeqKey(ref ImapTokenReader r)
    {
        if (!r.Sp())
        {
            return null;
        }
        string? entryName = null, entryType = null;
        if (r.IsNext((byte)'"'))
        {
            if (!r.String(out var name, "an entry name") || !r.Text(name, out entryName) || !r.Sp() || !r.Atom(out entryType, "priv, shared or all"))
            {
                return null;
            }
            if (entryType.ToUpperInvariant() is not ("PRIV" or "SHARED" or "ALL"))
            {
                r.Fail(ImapRejectReason.SyntaxError, "Entry type must be priv, shared or all");
                return null;
            }
            if (!r.Sp())
            {
                return null;
            }
        }
        return r.Number64(out var modSeq, "a mod-sequence") ? new ModSeqSearchKey(modSeq, entryName, entryType?.ToLowerInvariant()) : null;
    }
}
