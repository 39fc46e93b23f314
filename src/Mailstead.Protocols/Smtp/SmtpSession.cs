using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;
using Microsoft.Extensions.Logging;

namespace Mailstead.Protocols.Smtp;

/// <summary>
/// One SMTP conversation (RFC 5321), for MX or submission. The loop reads a bounded line, checks the state table,
/// dispatches to one handler per command (this file and its partials: Data, Auth) and flushes the replies.
/// Replies are sent after each command, which RFC 2920 §3.2 allows for PIPELINING; unread input is never dropped
/// except by STARTTLS, which must drop it (RFC 3207 §4.2, CVE-2011-0411).
/// </summary>
internal sealed partial class SmtpSession
{
    private readonly MailConnection _connection;
    private readonly SmtpMode _mode;
    private readonly ISmtpBackend _backend;
    private readonly ProtocolLimits _limits;
    private readonly MessageMemory _memory;
    private readonly string _hostname;
    private readonly ILogger _logger;
    private readonly MailSubmission _submission;
    private readonly List<RecipientCheck> _recipients = [];

    private SmtpState _state = SmtpState.Connected;
    private string? _helo;
    private bool _extended;
    private MailFrom? _mailFrom;
    private SmtpUser? _user;
    private SmtpReply? _lastReply;
    private int _invalidInARow;
    private int _commandsBeforeAuthentication;
    private int _failedAuthentications;

    public SmtpSession(MailConnection connection, SmtpMode mode, ISmtpBackend backend, ProtocolLimits limits, MessageMemory memory, string hostname, ILogger logger)
    {
        _connection = connection;
        _mode = mode;
        _backend = backend;
        _submission = backend.Submission;
        _limits = limits;
        _memory = memory;
        _hostname = hostname;
        _logger = logger;
    }

    public async Task RunAsync()
    {
        try
        {
            if (!await _connection.SendLineAsync($"220 {_hostname} ESMTP Mailstead").ConfigureAwait(false))
            {
                return;
            }

            while (await NextCommandAsync().ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException) when (_connection.Terminated.IsCancellationRequested)
        {
            // Terminated while a lookup or sign-in was waiting on the database.
            await EndAsync(ReadStatus.Terminated).ConfigureAwait(false);
        }
        finally
        {
            _user?.Registration.Dispose();
        }
    }

    private async Task<bool> NextCommandAsync()
    {
        var line = await _connection.ReadLineAsync(_limits.MaxSmtpCommandLineBytes, _limits.SmtpIdleTimeout).ConfigureAwait(false);
        if (line.Status != ReadStatus.Data)
        {
            return await EndAsync(line.Status).ConfigureAwait(false);
        }

        bool proceed;
        if (line.Ending == LineEnding.TooLong)
        {
            _logger.LogDebug("{Client} C: (line too long)", _connection.ClientAddress);
            // RFC 5321 §4.5.3.1.4, §4.2.4: 500 for a line too long.
            proceed = Reply(500, "5.5.2", $"Line too long; the limit is {_limits.MaxSmtpCommandLineBytes} octets");
        }
        else
        {
            var command = SmtpCommand.Parse(line.Line);
            _logger.LogDebug("{Client} C: {Command}", _connection.ClientAddress, command.ForLog());
            proceed = await DispatchAsync(command).ConfigureAwait(false);
        }

        if (proceed && !WithinLimits())
        {
            proceed = false;
        }

        return await _connection.FlushAsync().ConfigureAwait(false) && proceed;
    }

    private ValueTask<bool> DispatchAsync(SmtpCommand command)
    {
        if (SmtpStateTable.Refusal(command.Verb, _state) is { } refusal)
        {
            return ValueTask.FromResult(Reply(refusal));
        }

        return command.Verb switch
        {
            SmtpVerb.Helo or SmtpVerb.Ehlo => ValueTask.FromResult(Hello(command)),
            SmtpVerb.Mail => ValueTask.FromResult(Mail(command)),
            SmtpVerb.Rcpt => RcptAsync(command),
            SmtpVerb.Data => DataAsync(command),
            SmtpVerb.Rset => ValueTask.FromResult(Rset(command)),
            SmtpVerb.Noop => ValueTask.FromResult(Reply(250, "2.0.0", "OK")),
            SmtpVerb.Quit => ValueTask.FromResult(!Reply(221, "2.0.0", $"{_hostname} closing connection")),
            // RFC 5321 §3.5.3: 252 when the server will not say whether a mailbox exists.
            SmtpVerb.Vrfy => ValueTask.FromResult(command.Argument.Length == 0
                ? Reply(501, "5.5.4", "Syntax: VRFY <address>")
                : Reply(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery")),
            SmtpVerb.Expn => ValueTask.FromResult(Reply(502, "5.5.1", "EXPN is not available")),
            SmtpVerb.Help => ValueTask.FromResult(Reply(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS" + (_mode == SmtpMode.Submission ? " AUTH" : ""))),
            SmtpVerb.StartTls => StartTlsAsync(command),
            SmtpVerb.Auth => AuthAsync(command),
            SmtpVerb.Malformed => ValueTask.FromResult(Reply(500, "5.5.2", "Syntax error: the line is not UTF-8")),
            _ => ValueTask.FromResult(Reply(500, "5.5.1", "Command unrecognized")),
        };
    }

    /// <summary>EHLO/HELO (RFC 5321 §4.1.1.1): starts over, as RSET does, and lists the extensions.</summary>
    private bool Hello(SmtpCommand command)
    {
        var helo = SmtpArguments.ParseHelo(command.Argument);
        if (!helo.Succeeded)
        {
            return Reply(helo.Error);
        }

        ResetTransaction();
        _state = SmtpState.Greeted;
        _helo = helo.Value;
        _extended = command.Verb == SmtpVerb.Ehlo;
        var greeting = $"{_hostname} Hello {_helo} [{_connection.ClientAddress}]";
        if (!_extended)
        {
            return Reply(250, "", greeting);
        }

        List<string> lines =
        [
            greeting,
            "PIPELINING",
            $"SIZE {_submission.MaxMessageBytes}",
            "8BITMIME",
            "ENHANCEDSTATUSCODES",
            "SMTPUTF8",
        ];
        if (_connection.CanStartTls)
        {
            lines.Add("STARTTLS");
        }

        // RFC 4954 §4 and RFC 6409 §4.3: mechanisms that send passwords are offered only over TLS.
        if (AuthOffered && _user is null)
        {
            lines.Add("AUTH PLAIN LOGIN");
        }

        for (var i = 0; i < lines.Count - 1; i++)
        {
            _connection.WriteLine($"250-{lines[i]}");
        }

        return Reply(250, "", lines[^1]);
    }

    private bool Rset(SmtpCommand command)
    {
        if (command.Argument.Length > 0)
        {
            return Reply(501, "5.5.4", "Syntax: RSET takes no argument");
        }

        ResetTransaction();
        return Reply(250, "2.0.0", "OK");
    }

    /// <summary>RFC 3207 §4.2: after the handshake the session starts over, and nothing sent before it counts.</summary>
    private async ValueTask<bool> StartTlsAsync(SmtpCommand command)
    {
        if (command.Argument.Length > 0)
        {
            return Reply(501, "5.5.4", "Syntax: STARTTLS takes no argument");
        }

        if (_connection.IsTls)
        {
            return Reply(503, "5.5.1", "TLS is already active");
        }

        if (!_connection.CanStartTls)
        {
            return Reply(454, "4.7.0", "TLS not available");
        }

        if (!await _connection.StartTlsAsync(c => c.SendLineAsync("220 2.0.0 Ready to start TLS")).ConfigureAwait(false))
        {
            _logger.LogDebug("{Client}: TLS handshake failed", _connection.ClientAddress);
            return false;
        }

        ResetTransaction();
        _state = SmtpState.Connected;
        _helo = null;
        _lastReply = null;
        return true;
    }

    /// <summary>Submission on TLS: where AUTH and mail are possible.</summary>
    private bool AuthOffered => _mode == SmtpMode.Submission && _connection.IsTls;

    /// <summary>RFC 5321 §4.1.1.5: RSET, EHLO and HELO abandon the transaction, not the session.</summary>
    private void ResetTransaction()
    {
        _mailFrom = null;
        _recipients.Clear();
        if (_state != SmtpState.Connected)
        {
            _state = SmtpState.Greeted;
        }
    }

    /// <summary>Counts invalid commands in a row and commands before authentication; false (after a 421) when one is exhausted.</summary>
    private bool WithinLimits()
    {
        _invalidInARow = _lastReply is { IsClientError: true } ? _invalidInARow + 1 : 0;
        if (_invalidInARow >= _limits.MaxInvalidCommands)
        {
            _logger.LogInformation("{Client}: closing after {Count} invalid commands in a row", _connection.ClientAddress, _invalidInARow);
            return !Reply(421, "4.7.0", "Too many invalid commands; closing connection");
        }

        if (_mode == SmtpMode.Submission && _user is null && ++_commandsBeforeAuthentication >= _limits.MaxCommandsBeforeAuthentication)
        {
            return !Reply(421, "4.7.0", "Too many commands without authentication; closing connection");
        }

        return true;
    }

    /// <summary>The connection ended or must end: says why (RFC 5321 §3.8: 421) when there is anyone to tell. Always false.</summary>
    private async ValueTask<bool> EndAsync(ReadStatus status)
    {
        var farewell = status switch
        {
            ReadStatus.TimedOut => new SmtpReply(421, "4.4.2", $"{_hostname} idle timeout; closing connection"),
            ReadStatus.Terminated => new SmtpReply(421, "4.7.0", _connection.TerminationReason ?? "Closing connection"),
            _ => null,
        };
        if (farewell is not null)
        {
            await _connection.SendLineAsync(farewell.ToString()).ConfigureAwait(false);
        }

        return false;
    }

    private bool Reply(int code, string status, string text) => Reply(new SmtpReply(code, status, text));

    /// <summary>Writes the reply (sent at the end of the command); always true, so handlers can return it.</summary>
    private bool Reply(SmtpReply reply)
    {
        _lastReply = reply;
        _connection.WriteLine(reply.ToString());
        return true;
    }
}
