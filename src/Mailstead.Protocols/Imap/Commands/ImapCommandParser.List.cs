namespace Mailstead.Protocols.Imap.Commands;

// LIST and LSUB: RFC 3501 §6.3.8-9, extended LIST (RFC 5258 §6), SPECIAL-USE
// (RFC 6154 §6) and LIST-STATUS (RFC 5819).
internal static partial class ImapCommandParser
{
    /// <summary>
    /// list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts];
    /// LSUB has only mailbox SP list-mailbox.
    /// </summary>
    private static ListCommand? List(ref ImapTokenReader r, string tag, ImapCommandName name)
    {
        if (!r.Sp())
        {
            return null;
        }
        var extended = name == ImapCommandName.List;
        var selection = ListSelection.None;
        // RFC 9051 §6.3.9: the extended syntax is in use when the first or second word starts with a parenthesis,
        // or when there are return options.
        var extendedSyntax = extended && r.IsNext((byte)'(');
        if (extendedSyntax && (!ListSelectOptions(ref r, out selection) || !r.Sp()))
        {
            return null;
        }
        // The reference is a mailbox in the grammar but not "INBOX"-folded: it is a prefix.
        if (!r.ListMailbox(out var reference) || !r.Sp())
        {
            return null;
        }
        var patterns = new List<string>();
        if (extended && r.TryConsume((byte)'('))
        {
            extendedSyntax = true;
            // patterns = "(" list-mailbox *(SP list-mailbox) ")"
            do
            {
                if (!r.ListMailbox(out var pattern))
                {
                    return null;
                }
                patterns.Add(pattern);
            }
            while (r.TryConsume((byte)' '));
            if (!r.Expect((byte)')', "\")\" closing the patterns"))
            {
                return null;
            }
        }
        else if (r.ListMailbox(out var pattern))
        {
            patterns.Add(pattern);
        }
        else
        {
            return null;
        }

        var returns = ListReturn.None;
        var status = StatusItems.None;
        if (extended && r.TryConsume((byte)' '))
        {
            if ((!r.TryWord("RETURN") && !r.Expected("RETURN")) || !r.Sp() || !ListReturnOptions(ref r, out returns, out status))
            {
                return null;
            }
            extendedSyntax = true;
        }
        return new ListCommand(tag, name, reference, patterns, selection, returns, status, extendedSyntax);
    }

    /// <summary>list-select-opts = "(" [list-select-opt *(SP list-select-opt)] ")" (RFC 5258 §6).</summary>
    private static bool ListSelectOptions(ref ImapTokenReader r, out ListSelection selection)
    {
        selection = ListSelection.None;
        r.TryConsume((byte)'(');
        if (r.TryConsume((byte)')'))
        {
            return true;
        }
        do
        {
            if (!r.Atom(out var option, "a selection option"))
            {
                return false;
            }
            var flag = option.ToUpperInvariant() switch
            {
                "SUBSCRIBED" => ListSelection.Subscribed,
                "REMOTE" => ListSelection.Remote,
                "RECURSIVEMATCH" => ListSelection.RecursiveMatch,
                "SPECIAL-USE" => ListSelection.SpecialUse,
                _ => ListSelection.None,
            };
            if (flag == ListSelection.None)
            {
                return r.Fail(ImapRejectReason.SyntaxError, $"Unknown selection option {ImapChars.Printable(option)}");
            }
            selection |= flag;
        }
        while (r.TryConsume((byte)' '));
        // "If a list-select-mod-opt appears, then a list-select-base-opt must also appear."
        if (selection.HasFlag(ListSelection.RecursiveMatch) && !selection.HasFlag(ListSelection.Subscribed))
        {
            return r.Fail(ImapRejectReason.SyntaxError, "RECURSIVEMATCH needs SUBSCRIBED (RFC 5258 section 3.1)");
        }
        return r.Expect((byte)')', "\")\" closing the selection options");
    }

    /// <summary>"RETURN" SP "(" [return-option *(SP return-option)] ")"; STATUS takes a status item list (RFC 5819 §2).</summary>
    private static bool ListReturnOptions(ref ImapTokenReader r, out ListReturn returns, out StatusItems status)
    {
        returns = ListReturn.None;
        status = StatusItems.None;
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
                "SUBSCRIBED" => ListReturn.Subscribed,
                "CHILDREN" => ListReturn.Children,
                "SPECIAL-USE" => ListReturn.SpecialUse,
                "STATUS" => ListReturn.Status,
                _ => ListReturn.None,
            };
            if (flag == ListReturn.None)
            {
                return r.Fail(ImapRejectReason.SyntaxError, $"Unknown return option {ImapChars.Printable(option)}");
            }
            if (flag == ListReturn.Status && (!r.Sp() || !StatusItemList(ref r, out status)))
            {
                return false;
            }
            returns |= flag;
        }
        while (r.TryConsume((byte)' '));
        return r.Expect((byte)')', "\")\" closing the return options");
    }
}
