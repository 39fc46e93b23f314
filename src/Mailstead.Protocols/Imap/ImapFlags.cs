using System.Text;
using Mailstead.Core.Mail;

namespace Mailstead.Protocols.Imap;

/// <summary>Message flags as IMAP writes and reads them (RFC 3501 §2.3.2, "flag" in §9).</summary>
internal static class ImapFlags
{
    public const string Defined = @"\Answered \Flagged \Deleted \Seen \Draft";

    private static readonly (SystemFlags Flag, string Name)[] System =
    [
        (SystemFlags.Seen, @"\Seen"),
        (SystemFlags.Answered, @"\Answered"),
        (SystemFlags.Flagged, @"\Flagged"),
        (SystemFlags.Deleted, @"\Deleted"),
        (SystemFlags.Draft, @"\Draft"),
    ];

    /// <summary>The parenthesised flag list of a FETCH FLAGS item; \Recent is the session's (RFC 3501 §2.3.2), not stored.</summary>
    public static string Format(MessageFlags flags, bool recent)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var text = new StringBuilder("(");
        foreach (var (flag, name) in System.Where(s => flags.Has(s.Flag)))
        {
            text.Append(text.Length > 1 ? " " : "").Append(name);
        }

        if (recent)
        {
            text.Append(text.Length > 1 ? " " : "").Append(@"\Recent");
        }

        foreach (var keyword in flags.Keywords.Order(StringComparer.OrdinalIgnoreCase))
        {
            text.Append(text.Length > 1 ? " " : "").Append(keyword);
        }

        return text.Append(')').ToString();
    }

    /// <summary>
    /// Flags a client asks to set (STORE, APPEND). \Recent is the server's to set (RFC 3501 §2.3.2) and is
    /// ignored; any other unknown "\" flag is an error, named in <paramref name="error"/>.
    /// </summary>
    public static bool TryParse(IEnumerable<string> flags, out MessageFlags parsed, out string? error)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var system = SystemFlags.None;
        var keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        error = null;
        parsed = MessageFlags.Empty;
        foreach (var flag in flags)
        {
            if (!flag.StartsWith('\\'))
            {
                keywords.Add(flag);
                continue;
            }

            if (flag.Equals(@"\Recent", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var known = System.FirstOrDefault(s => s.Name.Equals(flag, StringComparison.OrdinalIgnoreCase));
            if (known.Name is null)
            {
                error = $"{flag} is not a flag a client can set";
                return false;
            }

            system |= known.Flag;
        }

        parsed = new MessageFlags(system, keywords);
        return true;
    }
}
