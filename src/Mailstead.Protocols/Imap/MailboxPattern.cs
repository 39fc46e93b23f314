using Mailstead.Core.Mail;

namespace Mailstead.Protocols.Imap;

/// <summary>
/// LIST and LSUB patterns (RFC 3501 §6.3.8): "*" matches any characters, "%" any characters but the hierarchy
/// delimiter. INBOX is matched case-insensitively (§5.1), every other name exactly.
/// </summary>
internal static class MailboxPattern
{
    /// <summary>The reference is a prefix of the pattern (§6.3.8: "the reference argument ... is prepended").</summary>
    public static string Combine(string reference, string pattern)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(pattern);
        return reference.Length > 0 && pattern.StartsWith(MailFolder.Delimiter) && reference.EndsWith(MailFolder.Delimiter)
            ? reference + pattern[1..]
            : reference + pattern;
    }

    public static bool Matches(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        pattern = CanonicalInbox(pattern);

        // reachable[j]: the first i characters of the pattern can match the first j characters of the name.
        // A table rather than backtracking, so "*%*%*..." costs O(pattern × name), never exponential time.
        var reachable = new bool[name.Length + 1];
        reachable[0] = true;
        foreach (var p in pattern)
        {
            var next = new bool[name.Length + 1];
            for (var j = 0; j <= name.Length; j++)
            {
                if (p is '*' or '%')
                {
                    // Zero characters, or one more than some shorter match (which % may not cross a delimiter with).
                    next[j] = reachable[j] || (j > 0 && next[j - 1] && (p == '*' || name[j - 1] != MailFolder.Delimiter));
                }
                else
                {
                    next[j] = j > 0 && reachable[j - 1] && name[j - 1] == p;
                }
            }

            reachable = next;
        }

        return reachable[name.Length];
    }

    // "inbox", "Inbox/%": the INBOX part of a pattern names INBOX whatever its case.
    private static string CanonicalInbox(string pattern) =>
        pattern.Length >= 5 && pattern.AsSpan(0, 5).Equals(MailFolder.InboxName, StringComparison.OrdinalIgnoreCase)
            && (pattern.Length == 5 || pattern[5] is MailFolder.Delimiter or '*' or '%')
            ? MailFolder.InboxName + pattern[5..]
            : pattern;
}
