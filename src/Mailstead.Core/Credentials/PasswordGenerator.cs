using System.Security.Cryptography;

namespace Mailstead.Core.Credentials;

/// <summary>
/// Strong passwords that meet a policy by construction: cryptographically random characters from an alphabet
/// without look-alikes (no I, l, 1, O, 0), one of each required kind, at least 20 characters (about 117 bits).
/// </summary>
public static class PasswordGenerator
{
    private const int PreferredLength = 20;
    private const int MaxAttempts = 100;
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";
    private const string Symbols = "-_.!@#%+=?";

    public static string Generate(PasswordPolicy policy, PolicyContext context)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var candidate = Draw(policy);
            // Randomness can still spell the local part or hit a listed word; drawing again is cheap and rare.
            if (policy.Check(candidate, context).Passed)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Could not generate a password that meets the policy; check the policy's limits.");
    }

    private static string Draw(PasswordPolicy policy)
    {
        var length = Math.Min(Math.Max(policy.MinLength, PreferredLength), policy.MaxLength);
        var alphabet = Lower + Upper + Digits + (policy.RequireSymbol ? Symbols : "");
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        // One of each required kind, at distinct random positions (length is at least 20, so they fit).
        var required = new[] { (policy.RequireUppercase, Upper), (policy.RequireLowercase, Lower), (policy.RequireDigit, Digits), (policy.RequireSymbol, Symbols) }
            .Where(r => r.Item1)
            .Select(r => r.Item2)
            .ToArray();
        var positions = Enumerable.Range(0, length).ToArray();
        RandomNumberGenerator.Shuffle(positions.AsSpan());
        for (var i = 0; i < required.Length; i++)
        {
            chars[positions[i]] = required[i][RandomNumberGenerator.GetInt32(required[i].Length)];
        }

        return new string(chars);
    }
}
