using Mailstead.Core.Accounts;
using Mailstead.Web.Infrastructure;

namespace Mailstead.Web.Pages.Mail;

/// <summary>My Account → Recovery address: the same form as the user panel's.</summary>
public sealed class AccountRecoveryModel(AccountService accounts) : RecoveryPageModel(accounts)
{
    protected override WebSurface Surface => WebSurface.Webmail;

    protected override string PagePath => "/mail/account/recovery";
}
