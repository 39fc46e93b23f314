using System.Net;

namespace Mailstead.Tests;

/// <summary>
/// The headline promise (ARCHITECTURE.md §2): a password changed in the user panel or the webmail ends, at once, every
/// mail program connected with the old one (IMAP in IDLE, POP3, SMTP submission), and the old password opens nothing.
/// </summary>
public sealed class PasswordPromiseTests(MailServerFixture mail) : IClassFixture<MailServerFixture>
{
    private const string OldPassword = "correct horse battery staple";
    private const string NewPassword = "seven lanterns above the quiet bay";

    [Theory]
    [InlineData("account", "/account/password")] // the user panel's Password page
    [InlineData("mail", "/mail/account")] // the webmail's My Account: "Update password and log me out from everywhere"
    public async Task A_change_in_the_user_panel_or_the_webmail_disconnects_imap_pop3_and_smtp_within_a_second_and_the_old_password_is_refused_everywhere(string surface, string passwordPage)
    {
        var address = await mail.AddMailboxAsync("promise-" + surface, OldPassword);
        using var clients = await ConnectedMailClients.ConnectAsync(mail.Server, address, OldPassword);

        using var browser = new WebClient(mail.Server.BaseAddress);
        await browser.SignInOrFailAsync(surface, address, OldPassword);
        using (var changed = await browser.PostFormAsync(
            passwordPage,
            passwordPage,
            ("CurrentPassword", OldPassword),
            ("NewPassword", NewPassword),
            ("ConfirmPassword", NewPassword)))
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        await clients.AssertEndedWithinASecondAndOldPasswordRefusedAsync(DateTimeOffset.UtcNow);
    }
}
