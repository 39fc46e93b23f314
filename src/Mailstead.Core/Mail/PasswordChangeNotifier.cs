using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Mime;
using Microsoft.Extensions.Logging;

namespace Mailstead.Core.Mail;

/// <summary>
/// The one owner of the security notices: a password changed or reset, a recovery address changed. Each is a plain
/// RFC 5322 message and never holds a password. The mailbox's copy goes into its INBOX; a copy for another address
/// goes into that mailbox when it is one of ours, else into the outbound queue with the null reverse-path, as
/// automatic notices should (RFC 3834 §3.3, RFC 5321 §4.5.5), so that no bounce can come back and loop. Each copy
/// is delivered on its own; one that cannot be is logged and the others still go, because the change stands.
/// </summary>
internal sealed class PasswordChangeNotifier(IAccountStore accounts, MessageStore messages, Outbox outbox, ILogger<PasswordChangeNotifier> logger) : IPasswordChangeNotifier
{
    public async Task NotifyAsync(PasswordChangeNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.Owner.Kind != CredentialOwnerKind.Mailbox)
        {
            return;
        }

        var facts = new Facts(EmailAddress.Parse(notice.Owner.Login), notice.BySelf, notice.Actor, notice.Surface, notice.Client, notice.At, notice.AdminContact);
        foreach (var to in new[] { facts.Mailbox.Value, notice.RecoveryAddress }.OfType<string>())
        {
            await SendAsync(facts, to, PasswordLetter(notice, facts, to), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task NotifyAsync(RecoveryAddressNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var facts = new Facts(EmailAddress.Parse(notice.Mailbox), notice.BySelf, notice.Actor, notice.Surface, notice.Client, notice.At, notice.AdminContact);
        foreach (var to in new[] { facts.Mailbox.Value, notice.Before }.OfType<string>())
        {
            await SendAsync(facts, to, RecoveryLetter(notice, facts, to), cancellationToken).ConfigureAwait(false);
        }
    }

    private static Letter PasswordLetter(PasswordChangeNotice notice, Facts facts, string to)
    {
        var done = notice.BySelf ? "changed" : "reset";
        var own = facts.IsMailbox(to);
        var consequences = new List<string> { "Every session and mail client signed in with the old password has been signed out." };
        if (notice.MustChange)
        {
            consequences.Add(own
                ? "You will be asked to choose a new password at your next sign-in."
                : "Its user will be asked to choose a new password at the next sign-in.");
        }

        return own
            ? new Letter($"Your mailbox password was {done}", null, [], consequences)
            : new Letter($"The password of {facts.Mailbox.Value} was {done}", $"You receive this because {to} is the recovery address of {facts.Mailbox.Value}.", [], consequences);
    }

    private static Letter RecoveryLetter(RecoveryAddressNotice notice, Facts facts, string to)
    {
        if (!facts.IsMailbox(to))
        {
            // The address that stops hearing is told that it does, not where the notices go now.
            return new Letter(
                $"{to} is no longer the recovery address of {facts.Mailbox.Value}",
                null,
                [],
                [$"It will not hear about password changes of {facts.Mailbox.Value} any more."]);
        }

        var done = notice.Before is null ? "set" : notice.After is null ? "removed" : "changed";
        return new Letter(
            $"The recovery address of your mailbox was {done}",
            null,
            [("Before:", notice.Before ?? "none"), ("Now:", notice.After ?? "none")],
            [notice.After is null
                ? "Notices of password changes and resets now go into this mailbox only."
                : $"Notices of password changes and resets now go into this mailbox and to {notice.After}."]);
    }

    private async Task SendAsync(Facts facts, string to, Letter letter, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await DeliverAsync(to, Render(facts, to, letter), facts.At, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                logger.LogError("Security notice about {Mailbox} not delivered to {Recipient}: {Reason}", facts.Mailbox.Value, to, problem.Message);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Security notice about {Mailbox} not delivered to {Recipient}", facts.Mailbox.Value, to);
        }
    }

    // One of our mailboxes gets it at once, full or not: a notice is small and must be heard. Another server's
    // address gets it through the outbound queue.
    private async Task<Problem?> DeliverAsync(string to, byte[] message, DateTime at, CancellationToken cancellationToken)
    {
        var address = EmailAddress.Parse(to);
        if (await accounts.FindDomainAsync(address.Domain, cancellationToken).ConfigureAwait(false) is not null)
        {
            var delivered = await messages.DeliverAsync(address.Value, new NewMessage(message) { InternalDate = at, IgnoreQuota = true }, cancellationToken).ConfigureAwait(false);
            return delivered.Problem;
        }

        var submission = new OutboundSubmission(SenderMailboxId: null, EnvelopeFrom: "", [address.Value], message)
        {
            EightBitMime = message.AsSpan().ContainsAnyExceptInRange((byte)0, (byte)0x7F),
            // The header holds the recipient's address as it is (the subject is encoded), so only that needs SMTPUTF8.
            SmtpUtf8 = !Ascii.IsValid(address.Value),
        };
        await outbox.EnqueueAsync(submission, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static byte[] Render(Facts facts, string to, Letter letter)
    {
        var mailbox = facts.Mailbox;
        var own = facts.IsMailbox(to);
        var who = facts.BySelf
            ? own ? $"you, signed in as {mailbox.Value}" : $"someone signed in as {mailbox.Value}, with its password"
            : facts.Actor == "cli" ? "the server administrator, on the server's command line" : $"the administrator {facts.Actor}";
        var contact = facts.AdminContact is { Length: > 0 } c ? c : $"the administrator of {mailbox.Domain}";

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{letter.Headline}.\r\n");
        if (letter.Why is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"{letter.Why}\r\n");
        }

        text.Append("\r\n");
        foreach (var (label, value) in new[] { ("Mailbox:", mailbox.Value) }.Concat(letter.Facts).Concat(
        [
            ("When:", facts.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"),
            ("By:", who),
            ("Where:", SurfaceName(facts.Surface)),
            ("From:", facts.Client?.ToString() ?? "the server itself (no network address)"),
        ]))
        {
            text.Append(CultureInfo.InvariantCulture, $"{label,-11} {value}\r\n");
        }

        text.Append("\r\n");
        foreach (var line in letter.Consequences)
        {
            text.Append(CultureInfo.InvariantCulture, $"{line}\r\n");
        }

        text.Append("\r\n")
            .Append(CultureInfo.InvariantCulture, $"If this was not you, or you did not ask for it, contact {contact} at once:\r\n")
            .Append(CultureInfo.InvariantCulture, $"someone else may know {(own ? "your password" : $"the password of {mailbox.Value}")}. Ask for a reset, then check the security\r\n")
            .Append("log in the user panel (/account) for sign-ins you do not recognise.\r\n");

        var header = new HeaderWriter();
        header.Field("Date", MessageDate.Format(DateTime.SpecifyKind(facts.At, DateTimeKind.Utc)));
        header.Field("From", $"\"Mailstead\" <postmaster@{mailbox.Domain}>");
        header.Field("To", $"<{to}>");
        header.Field("Subject", HeaderWriter.Text(letter.Headline));
        header.Field("Message-ID", $"<{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}@{mailbox.Domain}>");
        header.Field("MIME-Version", "1.0");
        header.Field("Content-Type", "text/plain; charset=utf-8");
        header.Field("Content-Transfer-Encoding", "8bit");
        header.Field("Auto-Submitted", "auto-generated");
        return Encoding.UTF8.GetBytes(header + "\r\n" + text);
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

    // What every notice says of the change: whose mailbox, when, who did it, where and from which network address.
    private sealed record Facts(EmailAddress Mailbox, bool BySelf, string Actor, Surface Surface, IPAddress? Client, DateTime At, string? AdminContact)
    {
        public bool IsMailbox(string to) => to == Mailbox.Value;
    }

    // One notice as one recipient reads it: the headline (also its subject), why this address hears of it, facts
    // beyond the common ones, and what the change did.
    private sealed record Letter(string Headline, string? Why, IReadOnlyList<(string Label, string Value)> Facts, IReadOnlyList<string> Consequences);
}
