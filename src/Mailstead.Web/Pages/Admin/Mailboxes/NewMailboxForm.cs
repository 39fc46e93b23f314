using Mailstead.Core.Credentials;

namespace Mailstead.Web.Pages.Admin.Mailboxes;

/// <summary>The "New mailbox" form: in the Email tab's pop-up and on its own page, which it always posts to.</summary>
public sealed record NewMailboxForm(IReadOnlyList<string> Domains, PasswordPolicy Policy, bool InDialog)
{
    public const string Action = "/admin/mailboxes/new";

    public string LocalPart { get; init; } = "";

    public string? Domain { get; init; }

    public string? DisplayName { get; init; }

    public bool MustChange { get; init; } = true;

    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<PolicyCriterion>? Criteria { get; init; }

    public string IdPrefix => InDialog ? "new-" : "";

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);
}
