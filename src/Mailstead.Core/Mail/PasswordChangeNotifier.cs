using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Mime;

namespace Mailstead.Core.Mail;

/// <summary>Delivers the password-change notice into the mailbox's INBOX, as a plain RFC 5322 message.</summary>
internal sealed class PasswordChangeNotifier(MessageStore messages) : IPasswordChangeNotifier
{
    public async Task NotifyAsync(PasswordChangeNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.Owner.Kind != CredentialOwnerKind.Mailbox)
        {
            return;
        }

        var body = Compose(notice);
        var delivered = await messages.DeliverAsync(notice.Owner.Login, new NewMessage(body) { InternalDate = notice.At, IgnoreQuota = true }, cancellationToken).ConfigureAwait(false);
        if (!delivered.Succeeded)
        {
            throw new InvalidOperationException($"The password-change notice could not be delivered: {delivered.Problem.Message}");
        }
    }

    internal static byte[] Compose(PasswordChangeNotice notice)
    {
        var address = EmailAddress.Parse(notice.Owner.Login);
        var when = notice.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
        var what = notice.BySelf ? "Your mailbox password was changed" : "Your mailbox password was reset";
        var who = notice.BySelf
            ? $"you, signed in as {address.Value}"
            : notice.Actor == "cli" ? "the server administrator, on the server's command line" : $"the administrator {notice.Actor}";
        var contact = notice.AdminContact is { Length: > 0 } c ? c : $"the administrator of {address.Domain}";

        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{what}.\r\n")
            .Append("\r\n")
            .Append(CultureInfo.InvariantCulture, $"Mailbox:    {address.Value}\r\n")
            .Append(CultureInfo.InvariantCulture, $"When:       {when}\r\n")
            .Append(CultureInfo.InvariantCulture, $"By:         {who}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Where:      {SurfaceName(notice.Surface)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"From:       {notice.Client?.ToString() ?? "the server itself (no network address)"}\r\n")
            .Append("\r\n")
            .Append("Every session and mail client signed in with the old password has been signed out.\r\n");
        if (notice.MustChange)
        {
            text.Append("You will be asked to choose a new password at your next sign-in.\r\n");
        }

        text.Append("\r\n")
            .Append(CultureInfo.InvariantCulture, $"If this was not you, or you did not ask for it, contact {contact} at once:\r\n")
            .Append("someone else may know your password. Ask for a reset, then check the security\r\n")
            .Append("log in the user panel (/account) for sign-ins you do not recognise.\r\n");

        var header = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Date: {MessageDate.Format(DateTime.SpecifyKind(notice.At, DateTimeKind.Utc))}\r\n")
            .Append(CultureInfo.InvariantCulture, $"From: \"Mailstead\" <postmaster@{address.Domain}>\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: <{address.Value}>\r\n")
            .Append(CultureInfo.InvariantCulture, $"Subject: {what}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Message-ID: <{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}@{address.Domain}>\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n")
            .Append("Auto-Submitted: auto-generated\r\n")
            .Append("\r\n");
        return Encoding.UTF8.GetBytes(header.ToString() + text);
    }

    private static string SurfaceName(Surface surface) => surface switch
    {
        Surface.Webmail => "the webmail",
        Surface.UserPanel => "the user panel",
        Surface.AdminPanel => "the admin panel",
        Surface.Api => "the HTTP API",
        Surface.Cli => "the server's command line",
        Surface.Imap => "IMAP",
        Surface.Pop3 => "POP3",
        Surface.Smtp => "SMTP",
        _ => "the server",
    };
}
