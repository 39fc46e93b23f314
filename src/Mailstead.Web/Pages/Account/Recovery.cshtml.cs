using Mailstead.Core.Accounts;
using Mailstead.Web.Infrastructure;

namespace Mailstead.Web.Pages.Account;

/// <summary>The user panel's Recovery address page.</summary>
public sealed class RecoveryModel(AccountService accounts) : RecoveryPageModel(accounts)
{
    protected override WebSurface Surface => WebSurface.Account;

    protected override string PagePath => "/account/recovery";
}
