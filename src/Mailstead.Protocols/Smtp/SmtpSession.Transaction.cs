using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;
using Microsoft.Extensions.Logging;

namespace Mailstead.Protocols.Smtp;

/// <summary>The mail transaction: MAIL, RCPT, DATA, and delivery of what DATA brought.</summary>
internal sealed partial class SmtpSession
{
    private static readonly SmtpReply MustStartTls = new(530, "5.7.0", "Must issue a STARTTLS command first");

    /// <summary>RFC 5321 §4.1.1.2, with SIZE (RFC 1870), BODY (RFC 6152) and SMTPUTF8 (RFC 6531).</summary>
    private bool Mail(SmtpCommand command)
    {
        if (_mode == SmtpMode.Submission)
        {
            if (!_connection.IsTls)
            {
                return Reply(MustStartTls);
            }

            if (_user is null)
            {
                // RFC 4954 §6 and RFC 6409 §4.3: submission needs authentication.
                return Reply(530, "5.7.0", "Authentication required");
            }
        }

        var parsed = SmtpArguments.ParseMail(command.Argument, AuthOffered);
        if (!parsed.Succeeded)
        {
            return Reply(parsed.Error);
        }

        var mail = parsed.Value!;
        if (mail.Size > _submission.MaxMessageBytes)
        {
            // RFC 1870 §6.1: a declared size above the fixed maximum is refused at MAIL.
            return Reply(552, "5.3.4", $"Message size exceeds the fixed maximum message size of {_submission.MaxMessageBytes} octets");
        }

        if (mail.ReversePath is { IsAscii: false } && !mail.SmtpUtf8)
        {
            // RFC 6531 §3.5: a non-ASCII sender without SMTPUTF8 gets 550 "mailbox unavailable".
            return Reply(550, "5.6.7", "A non-ASCII address needs the SMTPUTF8 parameter");
        }

        if (_user is not null && !IsOwnAddress(mail.ReversePath))
        {
            // RFC 6409 §6.1: the submission server may check that the sender is the authenticated user.
            return Reply(553, "5.7.1", $"You may send only as <{_user.Address}>");
        }

        _mailFrom = mail;
        _state = SmtpState.MailGiven;
        return Reply(250, "2.1.0", "Sender OK");
    }

    private bool IsOwnAddress(SmtpPath? path) => MailSubmission.MaySendAs(_user!.Mailbox, path?.Address);

    /// <summary>RFC 5321 §4.1.1.3; one line per recipient, so a refused one does not spoil the others.</summary>
    private async ValueTask<bool> RcptAsync(SmtpCommand command)
    {
        var parsed = SmtpArguments.ParseRcpt(command.Argument);
        if (!parsed.Succeeded)
        {
            return Reply(parsed.Error);
        }

        if (_recipients.Count >= _submission.MaxRecipients)
        {
            // RFC 5321 §4.5.3.1.10: 452 for too many recipients; the client sends the rest in another transaction.
            return Reply(452, "4.5.3", "Too many recipients");
        }

        var path = parsed.Value!;
        if (!path.IsAscii && !_mailFrom!.SmtpUtf8)
        {
            // RFC 6531 §3.5: a non-ASCII recipient without SMTPUTF8 gets 553 "mailbox name not allowed".
            return Reply(553, "5.6.7", "A non-ASCII address needs the SMTPUTF8 parameter on MAIL FROM");
        }

        var (recipient, reply) = await ResolveAsync(path).ConfigureAwait(false);
        if (recipient is not null && !_recipients.Exists(r => r.Address == recipient.Address))
        {
            _recipients.Add(recipient);
            _state = SmtpState.RecipientsGiven;
        }

        return Reply(reply);
    }

    private async Task<(RecipientCheck? Recipient, SmtpReply Reply)> ResolveAsync(SmtpPath path)
    {
        var check = await _submission.CheckRecipientAsync(path.LocalPart, path.Domain, mayRelay: _mode == SmtpMode.Submission, _mailFrom!.Size ?? 0, _connection.Terminated).ConfigureAwait(false);
        return check.Status switch
        {
            RecipientStatus.Local or RecipientStatus.Remote => (check, new SmtpReply(250, "2.1.5", "Recipient OK")),
            // The 550 people meet when they send through an MX without signing in (RFC 5321 §3.6.2: no open relay).
            RecipientStatus.RelayDenied => (null, new SmtpReply(550, "5.7.1", "Relaying denied")),
            RecipientStatus.MailboxDisabled => (null, new SmtpReply(550, "5.2.1", $"The mailbox <{check.Address}> is disabled")),
            // RFC 1870 §6.1 and RFC 3463 5.2.2: a full mailbox refuses here, before the client sends the data.
            RecipientStatus.MailboxFull => (null, new SmtpReply(552, "5.2.2", $"The mailbox <{check.Address}> is full")),
            _ => (null, new SmtpReply(550, "5.1.1", $"No such mailbox: <{check.Address}>")),
        };
    }

    /// <summary>RFC 5321 §4.1.1.4: reads the data to its end whatever happens, then answers once for the message.</summary>
    private async ValueTask<bool> DataAsync(SmtpCommand command)
    {
        if (command.Argument.Length > 0)
        {
            return Reply(501, "5.5.4", "Syntax: DATA takes no argument");
        }

        // 3xx replies carry no enhanced status code (RFC 2034 §4).
        Reply(354, "", "End data with <CR><LF>.<CR><LF>");
        if (!await _connection.FlushAsync().ConfigureAwait(false))
        {
            return false;
        }

        using var decoder = new SmtpDataDecoder(_submission.MaxMessageBytes, _limits.MaxSmtpTextLineBytes, _memory);
        while (true)
        {
            var read = await _connection.ReadAsync(_limits.SmtpIdleTimeout).ConfigureAwait(false);
            if (read.Status != ReadStatus.Data)
            {
                return await EndAsync(read.Status).ConfigureAwait(false);
            }

            if (decoder.Decode(read.Buffer, out var consumed))
            {
                // What follows the end of data is the next (pipelined) command: leave it unexamined.
                _connection.AdvanceTo(consumed);
                break;
            }

            _connection.AdvanceTo(consumed, read.Buffer.End);
            if (read.IsCompleted)
            {
                return false;
            }
        }

        var reply = decoder.Problem switch
        {
            DataProblem.BareLineEnding => new SmtpReply(550, "5.6.0", "Message refused: it contains a bare CR or LF; every line must end with CRLF (RFC 5321 §2.3.8)"),
            DataProblem.LineTooLong => new SmtpReply(550, "5.6.0", $"Message refused: a line is longer than {_limits.MaxSmtpTextLineBytes} octets (RFC 5321 §4.5.3.1.6)"),
            DataProblem.TooLarge => TooLarge(),
            // RFC 5321 §4.2.3 452 and RFC 3463 4.3.1: a temporary lack of room; the sender queues and tries again.
            DataProblem.NoMemory => new SmtpReply(452, "4.3.1", "Too many messages are being received at once; try again later"),
            _ => await DeliverAsync(decoder.Body).ConfigureAwait(false),
        };
        if (decoder.Problem != DataProblem.None)
        {
            _logger.LogInformation("{Client}: refused a message from <{From}>: {Problem}", _connection.ClientAddress, _mailFrom!.ReversePath?.Address, decoder.Problem);
        }

        ResetTransaction();
        return Reply(reply);
    }

    private SmtpReply TooLarge() => new(552, "5.3.4", $"Message too big; the largest accepted is {_submission.MaxMessageBytes} octets");

    /// <summary>
    /// Hands the message to the submission pipeline, which stores a copy for every local recipient and queues one for
    /// the others; 250 only when all are stored (ARCHITECTURE.md §4). When some fail the reply is the first failure,
    /// and says who did get it.
    /// </summary>
    private async Task<SmtpReply> DeliverAsync(ReadOnlyMemory<byte> body)
    {
        var protocol = !_extended ? "SMTP"
            : (_mailFrom!.SmtpUtf8 ? "UTF8SMTP" : "ESMTP") + (_connection.IsTls ? "S" : "") + (_user is not null ? "A" : "");
        var envelope = new SubmissionEnvelope(_user?.Mailbox, _mailFrom!.ReversePath?.Address ?? "", _recipients, new SubmissionTrace(_helo, _connection.ClientAddress, protocol))
        {
            EightBitMime = _mailFrom.Body == BodyType.EightBitMime,
            SmtpUtf8 = _mailFrom.SmtpUtf8,
        };

        // Not cancelled by termination: a body half written is harmless, but a delivery done should be answered.
        var result = await _submission.DeliverAsync(envelope, body, CancellationToken.None).ConfigureAwait(false);
        var failed = result.Recipients.FirstOrDefault(r => !r.Succeeded);
        if (failed is null)
        {
            return new SmtpReply(250, "2.0.0", $"Message accepted as {result.Id}");
        }

        var failure = failed.Status switch
        {
            RecipientStatus.MessageTooLarge => TooLarge(),
            RecipientStatus.MailboxFull => new SmtpReply(552, "5.2.2", $"Mailbox full: <{failed.Address}>"),
            RecipientStatus.TemporaryFailure => new SmtpReply(451, "4.3.0", $"Local error while {(IsRemote(failed.Address) ? "queueing" : "storing")} the message; try again later"),
            _ => new SmtpReply(550, "5.1.1", $"No such mailbox: <{failed.Address}>"),
        };
        var stored = result.Recipients.Where(r => r.Succeeded).Select(r => $"<{r.Address}>").ToList();
        return stored.Count == 0 ? failure : failure with { Text = $"{failure.Text}; delivered to {string.Join(", ", stored)} only" };
    }

    private bool IsRemote(string address) => _recipients.Exists(r => r.Address == address && r.Status == RecipientStatus.Remote);
}
