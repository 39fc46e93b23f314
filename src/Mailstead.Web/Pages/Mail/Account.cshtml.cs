using Mailstead.Core.Credentials;
using Mailstead.Web.Infrastructure;

namespace Mailstead.Web.Pages.Mail;

/// <summary>
/// My Account → Account → Password (the seed's flow): the password form whose button logs the user out from
/// everywhere, this browser included. A user who must change the password is sent here before any mail.
/// </summary>
public sealed class AccountModel(CredentialService credentials, WebSignIn signIn) : PasswordPageModel(credentials, signIn)
{
    protected override WebSurface Surface => WebSurface.Webmail;

    protected override bool SignsOutHere => true;

    public override string SubmitLabel => "Update password and log me out from everywhere";
}
