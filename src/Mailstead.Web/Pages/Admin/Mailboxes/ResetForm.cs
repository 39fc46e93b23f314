using Mailstead.Core.Credentials;

namespace Mailstead.Web.Pages.Admin.Mailboxes;

/// <summary>
/// The "change password" form of a mailbox, shown in the Email tab's pop-up and on the standalone edit page
/// (the same markup, so the page works without JavaScript).
/// </summary>
public sealed record ResetForm(string Address, PasswordPolicy Policy, IReadOnlyList<PolicyCriterion> Criteria, bool InDialog)
{
    public const string Action = "/admin/mailboxes/edit?handler=Reset";

    public const string CheckUrl = "/admin/mailboxes/edit?handler=Check";

    public bool MustChange { get; init; }

    public string? PasswordError { get; init; }

    public string IdPrefix => InDialog ? "reset-" : "";

    public static IReadOnlyList<PolicyCriterion> Pending(PasswordPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return [.. policy.Check("", new PolicyContext(null, null, null)).Criteria.Select(c => c with { State = CriterionState.Pending })];
    }
}
