using System.Text;
using Mailstead.Core.Accounts;

namespace Mailstead.Core.Credentials;

public enum CriterionState
{
    Met,
    Unmet,

    /// <summary>Cannot be decided yet, e.g. "not your current password" before the current one is known.</summary>
    Pending,
}

/// <summary>One line of the checklist the UIs show. <see cref="Id"/> is stable (scripts and the UI key on it).</summary>
public sealed record PolicyCriterion(string Id, CriterionState State, string Sentence);

public sealed record PolicyReport(IReadOnlyList<PolicyCriterion> Criteria)
{
    public bool Passed => Criteria.All(c => c.State != CriterionState.Unmet);

    public IEnumerable<PolicyCriterion> Unmet => Criteria.Where(c => c.State == CriterionState.Unmet);
}

/// <summary>What a password is judged against besides itself: whose it is, and the current one when known.</summary>
public sealed record PolicyContext(EmailAddress? Address, string? DisplayName, string? CurrentPassword)
{
    // A record prints every property; the current password must never reach a log that way.
    public override string ToString() => $"PolicyContext {{ Address = {Address}, DisplayName = {DisplayName} }}";
}

/// <summary>
/// The password policy in force for one domain (or for operators): the platform defaults tightened by the
/// domain's overrides. Length over composition, per NIST SP 800-63B §3.1.1.2 and OWASP ASVS 5.0 §6.2: any
/// Unicode, no truncation, no forced composition unless a domain switches it on.
/// </summary>
public sealed class PasswordPolicy
{
    /// <summary>ASVS 6.2.9: at least 128 characters must be accepted, whatever is configured.</summary>
    public const int LeastMaximum = 128;

    private const int ShortestPersonalPart = 3;
    private const int ShortestNameWord = 4;

    private static readonly HashSet<string> ServiceLabels = new(StringComparer.Ordinal) { "mail", "email", "smtp", "imap", "webmail", "mx" };

    private PasswordPolicy(int minLength, int maxLength, bool upper, bool lower, bool digit, bool symbol)
    {
        MinLength = minLength;
        MaxLength = maxLength;
        RequireUppercase = upper;
        RequireLowercase = lower;
        RequireDigit = digit;
        RequireSymbol = symbol;
    }

    public int MinLength { get; }

    public int MaxLength { get; }

    public bool RequireUppercase { get; }

    public bool RequireLowercase { get; }

    public bool RequireDigit { get; }

    public bool RequireSymbol { get; }

    public static PasswordPolicy Create(PasswordPolicyOptions platform, PasswordPolicyOverrides? domainOverrides)
    {
        var overrides = domainOverrides ?? new PasswordPolicyOverrides();
        var min = Math.Max(1, Math.Max(platform.MinLength, overrides.MinLength ?? 0));
        var max = Math.Max(Math.Max(platform.MaxLength, LeastMaximum), min);
        return new PasswordPolicy(
            min,
            max,
            platform.RequireUppercase || overrides.RequireUppercase,
            platform.RequireLowercase || overrides.RequireLowercase,
            platform.RequireDigit || overrides.RequireDigit,
            platform.RequireSymbol || overrides.RequireSymbol);
    }

    /// <summary>
    /// Every criterion, in a fixed order. "not-current" is decided by <paramref name="context"/>'s current
    /// password when it is known, else by <paramref name="sameAsCurrent"/> (a hash comparison the caller made),
    /// else Pending.
    /// </summary>
    public PolicyReport Check(string candidate, PolicyContext context, bool? sameAsCurrent = null)
    {
        var password = PasswordText.Normalize(candidate);
        var length = password.EnumerateRunes().Count();
        var criteria = new List<PolicyCriterion>
        {
            new("length-min", State(length >= MinLength), $"At least {MinLength} characters"),
            new("length-max", State(length <= MaxLength), $"No more than {MaxLength} characters"),
            new("not-personal", State(length == 0 || !ContainsPersonalPart(password, context)), "Does not contain the email address or name"),
            new("not-common", State(length == 0 || !CommonPasswords.Contains(password)), "Is not a common or leaked password"),
            new("not-current", IsCurrent(password, context, sameAsCurrent), "Is not the current password"),
        };

        if (RequireUppercase)
        {
            criteria.Add(new("uppercase", State(password.EnumerateRunes().Any(Rune.IsUpper)), "Has an uppercase letter"));
        }

        if (RequireLowercase)
        {
            criteria.Add(new("lowercase", State(password.EnumerateRunes().Any(Rune.IsLower)), "Has a lowercase letter"));
        }

        if (RequireDigit)
        {
            criteria.Add(new("digit", State(password.EnumerateRunes().Any(Rune.IsDigit)), "Has a digit"));
        }

        if (RequireSymbol)
        {
            criteria.Add(new("symbol", State(password.EnumerateRunes().Any(IsSymbol)), "Has a symbol (not a letter, digit or space)"));
        }

        return new PolicyReport(criteria);
    }

    internal static bool IsSymbol(Rune rune) => !Rune.IsLetterOrDigit(rune) && !Rune.IsWhiteSpace(rune);

    private static CriterionState State(bool met) => met ? CriterionState.Met : CriterionState.Unmet;

    private static CriterionState IsCurrent(string password, PolicyContext context, bool? sameAsCurrent)
    {
        if (context.CurrentPassword is { Length: > 0 } current)
        {
            return State(!string.Equals(password, PasswordText.Normalize(current), StringComparison.Ordinal));
        }

        return sameAsCurrent is { } same ? State(!same) : CriterionState.Pending;
    }

    private static bool ContainsPersonalPart(string password, PolicyContext context)
    {
        var folded = PasswordText.Fold(password);
        return PersonalParts(context).Any(part => folded.Contains(part, StringComparison.Ordinal));
    }

    private static IEnumerable<string> PersonalParts(PolicyContext context)
    {
        var parts = new List<string>();
        if (context.Address is { } address)
        {
            parts.Add(address.Value);
            parts.Add(address.LocalPart);
            parts.Add(address.Domain);
            // The domain's own names ("example" of mail.example.org), not its TLD or service labels like "mail".
            parts.AddRange(address.Domain.Split('.')[..^1].Where(label => label.Length >= ShortestNameWord && !ServiceLabels.Contains(label)));
            parts.AddRange(address.LocalPart.Split(['.', '_', '-', '+']).Where(p => p.Length >= ShortestNameWord));
        }

        if (!string.IsNullOrWhiteSpace(context.DisplayName))
        {
            parts.Add(context.DisplayName.Trim());
            parts.AddRange(context.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(w => w.Length >= ShortestNameWord));
        }

        // Parts shorter than three characters ("al", "io") would forbid half of all passwords without protecting anything.
        return parts.Select(PasswordText.Fold).Where(p => p.Length >= ShortestPersonalPart).Distinct();
    }
}
