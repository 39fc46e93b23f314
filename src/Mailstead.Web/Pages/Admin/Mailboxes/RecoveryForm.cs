namespace Mailstead.Web.Pages.Admin.Mailboxes;

/// <summary>
/// A mailbox's recovery address as an operator sets it, without the current password (Core checks the permission):
/// on the edit page and in the Email tab's pop-up, the same markup, so it works without JavaScript. Its ids are the
/// same in both, since the two never share a page.
/// </summary>
public sealed record RecoveryForm(string Address, string? RecoveryAddress)
{
    public const string Action = "/admin/mailboxes/edit?handler=Recovery";

    public string? Error { get; init; }
}
