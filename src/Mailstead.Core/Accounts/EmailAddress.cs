using System.Globalization;
using System.Text;

namespace Mailstead.Core.Accounts;

/// <summary>A mailbox or operator address, normalised: NFC, lower case, domain in IDNA A-label form.</summary>
public sealed record EmailAddress
{
    // RFC 5321 §4.5.3.1: local part at most 64 octets, a path at most 256 including the brackets.
    private const int MaxLocalPartLength = 64;
    private const int MaxAddressLength = 254;

    private EmailAddress(string localPart, string domain)
    {
        LocalPart = localPart;
        Domain = domain;
    }

    public string LocalPart { get; }

    public string Domain { get; }

    public string Value => LocalPart + "@" + Domain;

    public override string ToString() => Value;

    public static EmailAddress Parse(string input) =>
        TryParse(input, out var address, out var error) ? address : throw new FormatException(error);

    public static bool TryParse(string? input, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EmailAddress? address, out string error)
    {
        address = null;
        if (string.IsNullOrEmpty(input))
        {
            error = "An email address is required.";
            return false;
        }

        var at = input.LastIndexOf('@');
        if (at <= 0 || at == input.Length - 1)
        {
            error = $"'{input}' is not an email address: it needs the form name@domain.";
            return false;
        }

        var local = input[..at].Normalize(NormalizationForm.FormC).ToLowerInvariant();
        if (!IsDotAtom(local) || Encoding.UTF8.GetByteCount(local) > MaxLocalPartLength)
        {
            error = $"'{input}' is not an email address: the part before @ may hold letters, digits and !#$%&'*+-/=?^_`{{|}}~ and single dots, at most 64 bytes.";
            return false;
        }

        if (!DomainName.TryNormalize(input[(at + 1)..], out var domain, out error))
        {
            error = $"'{input}' is not an email address: {error}";
            return false;
        }

        if (local.Length + 1 + domain.Length > MaxAddressLength)
        {
            error = $"'{input}' is longer than the 254 characters an email address may have.";
            return false;
        }

        address = new EmailAddress(local, domain);
        error = "";
        return true;
    }

    // RFC 5322 §3.2.3 dot-atom with RFC 6531 UTF-8 atext: no leading, trailing or doubled dots.
    private static bool IsDotAtom(string local)
    {
        if (local.Length == 0 || local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var rune in local.EnumerateRunes())
        {
            if (rune.Value > 0x7F)
            {
                if (Rune.IsControl(rune) || Rune.IsWhiteSpace(rune))
                {
                    return false;
                }

                continue;
            }

            var c = (char)rune.Value;
            if (!(char.IsAsciiLetterOrDigit(c) || c == '.' || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Domain names as stored and compared: lower-case IDNA A-labels (RFC 5890), no trailing dot.</summary>
public static class DomainName
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    public static bool TryNormalize(string? input, out string domain, out string error)
    {
        domain = "";
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "a domain name is required.";
            return false;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(input.Normalize(NormalizationForm.FormC)).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = $"'{input}' is not a valid domain name (letters, digits and hyphens in dot-separated labels).";
            return false;
        }

        if (ascii.Length > 253 || ascii.Split('.').Any(label => label.Length is 0 or > 63))
        {
            error = $"'{input}' is not a valid domain name (each label 1 to 63 characters, 253 in all).";
            return false;
        }

        domain = ascii;
        error = "";
        return true;
    }
}
