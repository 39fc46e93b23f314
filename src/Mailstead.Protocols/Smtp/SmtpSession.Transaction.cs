using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Accounts;
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
        if (mail.Size > _backend.MaxMessageBytes)
        {
            // RFC 1870 §6.1: a declared size above the fixed maximum is refused at MAIL.
            return Reply(552, "5.3.4", $"Message size exceeds the fixed maximum message size of {_backend.MaxMessageBytes} octets");
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

    private bool IsOwnAddress(SmtpPath? path) =>
        path is not null && EmailAddress.TryParse(path.Address, out var address, out _) && address.Value == _user!.Address;

    /// <summary>RFC 5321 §4.1.1.3; one line per recipient, so a refused one does not spoil the others.</summary>
    private async ValueTask<bool> RcptAsync(SmtpCommand command)
    {
        var parsed = SmtpArguments.ParseRcpt(command.Argument);
        if (!parsed.Succeeded)
        {
            return Reply(parsed.Error);
        }

        if (_recipients.Count >= _limits.MaxSmtpRecipients)
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

    private async Task<(Recipient? Recipient, SmtpReply Reply)> ResolveAsync(SmtpPath path)
    {
        var accepted = new SmtpReply(250, "2.1.5", "Recipient OK");
        if (path.Domain is null)
        {
            return (null, new SmtpReply(550, "5.1.1", "There is no postmaster mailbox here; write to postmaster@ one of our domains"));
        }

        var domain = "";
        var local = !path.IsAddressLiteral
            && DomainName.TryNormalize(path.Domain, out domain, out _)
            && await _backend.IsLocalDomainAsync(domain, _connection.Terminated).ConfigureAwait(false);
        if (!local)
        {
            // The 550 people meet when they send through an MX without signing in (RFC 5321 §3.6.2: no open relay).
            return _mode == SmtpMode.Submission
                ? (new Recipient(path.Address, null), accepted)
                : (null, new SmtpReply(550, "5.7.1", "Relaying denied"));
        }

        var unknown = new SmtpReply(550, "5.1.1", $"No such mailbox: <{path.Address}>");
        if (!EmailAddress.TryParse(path.LocalPart + "@" + domain, out var address, out _))
        {
            return (null, unknown);
        }

        var mailbox = await _backend.FindMailboxAsync(address.Value, _connection.Terminated).ConfigureAwait(false);
        if (mailbox is null)
        {
            return (null, unknown);
        }

        if (mailbox.Disabled)
        {
            return (null, new SmtpReply(550, "5.2.1", $"The mailbox <{address.Value}> is disabled"));
        }

        // RFC 1870 §6.1 and RFC 3463 5.2.2: a full mailbox refuses here, before the client sends the data.
        return await _backend.QuotaProblemAsync(mailbox, _mailFrom!.Size ?? 0, _connection.Terminated).ConfigureAwait(false) is null
            ? (new Recipient(mailbox.Address, mailbox), accepted)
            : (null, new SmtpReply(552, "5.2.2", $"The mailbox <{address.Value}> is full"));
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

        var decoder = new SmtpDataDecoder(_backend.MaxMessageBytes, _limits.MaxSmtpTextLineBytes);
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
            _ => await DeliverAsync(decoder.Body).ConfigureAwait(false),
        };
        if (decoder.Problem != DataProblem.None)
        {
            _logger.LogInformation("{Client}: refused a message from <{From}>: {Problem}", _connection.ClientAddress, _mailFrom!.ReversePath?.Address, decoder.Problem);
        }

        ResetTransaction();
        return Reply(reply);
    }

    private SmtpReply TooLarge() => new(552, "5.3.4", $"Message too big; the largest accepted is {_backend.MaxMessageBytes} octets");

    /// <summary>
    /// Stores a copy for every local recipient and queues one for the others; 250 only when all are stored
    /// (ARCHITECTURE.md §4). When some fail the reply is the first failure, and says who did get it.
    /// </summary>
    private async Task<SmtpReply> DeliverAsync(ReadOnlyMemory<byte> body)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var message = Concat(ReceivedHeader(id), body.Span);
        var stored = new List<string>();
        SmtpReply? failure = null;
        foreach (var recipient in _recipients.Where(r => r.Mailbox is not null))
        {
            try
            {
                // Not cancelled by termination: a body half written is harmless, but a delivery done should be answered.
                var problem = await _backend.DeliverAsync(recipient.Mailbox!, message, CancellationToken.None).ConfigureAwait(false);
                if (problem is null)
                {
                    stored.Add(recipient.Address);
                    continue;
                }

                failure ??= problem.Kind switch
                {
                    ProblemKind.Denied when message.Length > _backend.MaxMessageBytes => TooLarge(),
                    ProblemKind.Denied => new SmtpReply(552, "5.2.2", $"Mailbox full: <{recipient.Address}>"),
                    _ => new SmtpReply(550, "5.1.1", $"No such mailbox: <{recipient.Address}>"),
                };
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Delivering message {Id} to {Recipient} failed", id, recipient.Address);
                failure ??= new SmtpReply(451, "4.3.0", "Local error while storing the message; try again later");
            }
        }

        var remote = _recipients.Where(r => r.Mailbox is null).Select(r => r.Address).ToList();
        if (remote.Count > 0)
        {
            try
            {
                var from = _mailFrom!.ReversePath?.Address ?? "";
                await _backend.EnqueueAsync(
                    new OutboundSubmission(_user!.Mailbox.Id, from, remote, message) { EightBitMime = _mailFrom.Body == BodyType.EightBitMime, SmtpUtf8 = _mailFrom.SmtpUtf8 },
                    CancellationToken.None).ConfigureAwait(false);
                stored.AddRange(remote);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Queueing message {Id} for {Count} remote recipients failed", id, remote.Count);
                failure ??= new SmtpReply(451, "4.3.0", "Local error while queueing the message; try again later");
            }
        }

        _logger.LogInformation("{Client}: message {Id} from <{From}>, {Size} octets, stored for {Stored} of {Count} recipients", _connection.ClientAddress, id, _mailFrom!.ReversePath?.Address, message.Length, stored.Count, _recipients.Count);
        if (failure is null)
        {
            return new SmtpReply(250, "2.0.0", $"Message accepted as {id}");
        }

        return stored.Count == 0 ? failure : failure with { Text = $"{failure.Text}; delivered to {string.Join(", ", stored.Select(a => $"<{a}>"))} only" };
    }

    /// <summary>
    /// RFC 5321 §4.4 trace field: <c>from</c> the EHLO name with the client's address (TCP-info, no reverse DNS),
    /// <c>by</c> us, <c>with</c> the protocol (RFC 3848 ESMTPS/ESMTPSA; RFC 6531 §3.7.3 UTF8SMTP*), <c>id</c>, and
    /// <c>for</c> only with a single recipient, so one message does not reveal its other (Bcc) recipients.
    /// </summary>
    private string ReceivedHeader(string id)
    {
        var address = _connection.ClientAddress;
        var literal = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[IPv6:{address}]" : $"[{address}]";
        var protocol = !_extended ? "SMTP"
            : (_mailFrom!.SmtpUtf8 ? "UTF8SMTP" : "ESMTP") + (_connection.IsTls ? "S" : "") + (_user is not null ? "A" : "");
        var recipient = _recipients.Count == 1 ? $"\r\n\tfor <{_recipients[0].Address}>" : "";
        var date = _time.GetUtcNow().ToString("ddd, d MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        return $"Received: from {_helo} ({literal})\r\n\tby {_hostname} with {protocol} id {id}{recipient};\r\n\t{date}\r\n";
    }

    private static byte[] Concat(string header, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(header) + body.Length];
        var written = Encoding.UTF8.GetBytes(header, bytes);
        body.CopyTo(bytes.AsSpan(written));
        return bytes;
    }
}
