using System.IO.Compression;

namespace Mailstead.Core.Credentials;

/// <summary>
/// The shipped list of common and breached passwords (common-passwords.SOURCE.md), checked as NIST SP 800-63B
/// §3.1.1.2 asks. Loaded once, on first use.
/// </summary>
public static class CommonPasswords
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    private static readonly string[] Sequences =
    [
        "abcdefghijklmnopqrstuvwxyz",
        "0123456789",
        "qwertyuiopasdfghjklzxcvbnm",
        "qwertzuiopasdfghjklyxcvbnm",
        "azertyuiopqsdfghjklmwxcvbn",
        "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    ];

    /// <summary>
    /// True for a listed password (case-insensitive), a listed word dressed up with digits and punctuation at
    /// either end ("Password2024!!"), or a mere pattern: one short unit repeated ("abcabcabcabc") or a run
    /// along the alphabet, the digits or a keyboard row ("qwertyuiopas", "987654321098").
    /// </summary>
    public static bool Contains(string password)
    {
        var folded = PasswordText.Fold(password);
        if (folded.Length == 0)
        {
            return false;
        }

        var core = folded.Trim(Decoration(folded));
        return List.Value.Contains(folded)
            || (core.Length > 0 && List.Value.Contains(core))
            || IsRepetition(folded)
            || IsRun(folded);
    }

    private static char[] Decoration(string folded) =>
        [.. folded.Where(c => char.IsAsciiDigit(c) || char.IsPunctuation(c) || char.IsSymbol(c) || c == ' ').Distinct()];

    private static bool IsRepetition(string folded)
    {
        for (var unit = 1; unit <= 4 && unit < folded.Length; unit++)
        {
            if (folded.Length % unit == 0 && folded == string.Concat(Enumerable.Repeat(folded[..unit], folded.Length / unit)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRun(string folded)
    {
        foreach (var sequence in Sequences)
        {
            var forward = string.Concat(Enumerable.Repeat(sequence, (folded.Length / sequence.Length) + 2));
            var backward = new string([.. forward.Reverse()]);
            if (forward.Contains(folded, StringComparison.Ordinal) || backward.Contains(folded, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> Load()
    {
        using var resource = typeof(CommonPasswords).Assembly.GetManifestResourceStream("Mailstead.Core.common-passwords.txt.gz")
            ?? throw new InvalidOperationException("The common-password list is missing from Mailstead.Core.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(PasswordText.Fold(line));
            }
        }

        return set;
    }
}
