using System.Globalization;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;
using Microsoft.Extensions.Logging;

namespace Mailstead.Protocols.Pop3;

/// <summary>
/// One POP3 conversation (RFC 1939 §3): AUTHORIZATION, then TRANSACTION over a snapshot of INBOX taken at sign-in,
/// then UPDATE at QUIT, where messages marked with DELE are removed. A connection that ends any other way
/// (timeout, termination, the client vanishing) deletes nothing.
/// </summary>
internal sealed class Pop3Session(MailConnection connection, MailSignIn signIn, MessageStore store, ILogger logger)
{
    // RFC 2449 §4: a command line is at most 255 octets; AUTH responses may be longer (RFC 5034 §4).
    private const int MaxLineBytes = 1024;
    private const string PlaintextRefused = "-ERR [AUTH] Passwords are accepted only over TLS: issue STLS first.";

    private readonly ProtocolLimits _limits = connection.Limits;
    private SignedIn? _user;
    private string? _pendingUser;
    private Maildrop? _maildrop;
    private int _failedAuthentications;
    private int _commandsBeforeAuthentication;
    private int _invalidInARow;

    public async Task RunAsync()
    {
        try
        {
            if (!await connection.SendLineAsync("+OK Mailstead POP3 ready.").ConfigureAwait(false))
            {
                return;
            }

            while (await NextAsync().ConfigureAwait(false))
            {
            }
        }
        finally
        {
            _user?.Dispose();
        }
    }

    /// <summary>Reads and answers one command; false when the conversation is over.</summary>
    private async Task<bool> NextAsync()
    {
        var read = await connection.ReadLineAsync(MaxLineBytes, _limits.Pop3IdleTimeout).ConfigureAwait(false);
        switch (read.Status)
        {
            case ReadStatus.Closed:
                return false;
            case ReadStatus.TimedOut:
                await connection.SendLineAsync("-ERR [SYS/TEMP] Idle for too long; closing the connection.").ConfigureAwait(false);
                return false;
            case ReadStatus.Terminated:
                await connection.SendLineAsync($"-ERR [SYS/PERM] {connection.TerminationReason}").ConfigureAwait(false);
                return false;
        }

        if (read.Ending == LineEnding.TooLong)
        {
            return await InvalidAsync("-ERR The command line is too long.").ConfigureAwait(false);
        }

        var line = read.Text;
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var argument = space < 0 ? "" : line[(space + 1)..];
        if (_user is null && ++_commandsBeforeAuthentication > _limits.MaxCommandsBeforeAuthentication)
        {
            await connection.SendLineAsync("-ERR Too many commands without signing in.").ConfigureAwait(false);
            return false;
        }

        logger.LogDebug("POP3 {Client}: {Command}", connection.ClientAddress, verb);
        var outcome = _user is null ? await AuthorizationAsync(verb, argument).ConfigureAwait(false) : await TransactionAsync(verb, argument).ConfigureAwait(false);
        return outcome switch
        {
            Outcome.Continue => true,
            Outcome.Invalid => await InvalidAsync(null).ConfigureAwait(false),
            _ => false,
        };
    }

    private enum Outcome
    {
        Continue,
        Invalid,
        End,
    }

    private async Task<bool> InvalidAsync(string? answer)
    {
        if (answer is not null && !await connection.SendLineAsync(answer).ConfigureAwait(false))
        {
            return false;
        }

        if (++_invalidInARow <= _limits.MaxInvalidCommands)
        {
            return true;
        }

        await connection.SendLineAsync("-ERR Too many invalid commands; closing the connection.").ConfigureAwait(false);
        return false;
    }

    private async Task<Outcome> AuthorizationAsync(string verb, string argument)
    {
        switch (verb)
        {
            case "CAPA":
                return await CapabilitiesAsync().ConfigureAwait(false);
            case "STLS":
                return await StartTlsAsync().ConfigureAwait(false);
            case "QUIT":
                await connection.SendLineAsync("+OK Bye.").ConfigureAwait(false);
                return Outcome.End;
            case "NOOP":
                return await ReplyAsync("+OK").ConfigureAwait(false);
            case "USER" when !connection.IsTls:
            case "PASS" when !connection.IsTls:
            case "AUTH" when !connection.IsTls && argument.Length > 0:
                return await ReplyAsync(PlaintextRefused).ConfigureAwait(false);
            case "USER" when argument.Length > 0:
                _pendingUser = argument;
                return await ReplyAsync("+OK Send the password with PASS.").ConfigureAwait(false);
            case "PASS" when _pendingUser is not null:
                var user = _pendingUser;
                _pendingUser = null;
                return await SignInAsync(user, argument).ConfigureAwait(false);
            case "PASS":
                return await ReplyAsync("-ERR Send USER first.", Outcome.Invalid).ConfigureAwait(false);
            case "AUTH":
                return await AuthenticateAsync(argument).ConfigureAwait(false);
            default:
                return await ReplyAsync(verb is "STAT" or "LIST" or "RETR" or "DELE" or "RSET" or "TOP" or "UIDL"
                    ? "-ERR Sign in first."
                    : "-ERR Unknown command.", Outcome.Invalid).ConfigureAwait(false);
        }
    }

    private async Task<Outcome> CapabilitiesAsync()
    {
        connection.WriteLine("+OK Capability list follows");
        connection.WriteLine("TOP");
        connection.WriteLine("UIDL");
        connection.WriteLine("RESP-CODES");
        connection.WriteLine("AUTH-RESP-CODE");
        connection.WriteLine("PIPELINING");
        if (_user is null)
        {
            if (connection.CanStartTls)
            {
                connection.WriteLine("STLS");
            }

            if (connection.IsTls)
            {
                connection.WriteLine("USER");
                connection.WriteLine("SASL PLAIN");
            }
        }

        connection.WriteLine("IMPLEMENTATION Mailstead");
        connection.WriteLine(".");
        return await connection.FlushAsync().ConfigureAwait(false) ? Outcome.Continue : Outcome.End;
    }

    private async Task<Outcome> StartTlsAsync()
    {
        if (!connection.CanStartTls)
        {
            return await ReplyAsync(connection.IsTls ? "-ERR TLS is already on." : "-ERR TLS is not available.", Outcome.Invalid).ConfigureAwait(false);
        }

        // RFC 2595 §4: nothing said before the handshake carries over, including a half-given USER.
        _pendingUser = null;
        var secured = await connection.StartTlsAsync(c => c.SendLineAsync("+OK Begin TLS negotiation.")).ConfigureAwait(false);
        return secured ? Outcome.Continue : Outcome.End;
    }

    private async Task<Outcome> AuthenticateAsync(string argument)
    {
        var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            // RFC 5034 §4 leaves the bare AUTH to list mechanisms, as many clients expect.
            connection.WriteLine("+OK");
            connection.WriteLine("PLAIN");
            connection.WriteLine(".");
            return await connection.FlushAsync().ConfigureAwait(false) ? Outcome.Continue : Outcome.End;
        }

        if (!parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            return await ReplyAsync("-ERR [AUTH] Only the PLAIN mechanism is supported.", Outcome.Invalid).ConfigureAwait(false);
        }

        var response = parts.Length > 1 ? parts[1] : null;
        if (response is null)
        {
            if (!await connection.SendLineAsync("+ ").ConfigureAwait(false))
            {
                return Outcome.End;
            }

            var read = await connection.ReadLineAsync(MaxLineBytes, _limits.Pop3IdleTimeout).ConfigureAwait(false);
            if (read.Status != ReadStatus.Data)
            {
                return Outcome.End;
            }

            response = read.Text;
        }

        if (response == "*")
        {
            return await ReplyAsync("-ERR Authentication cancelled.").ConfigureAwait(false);
        }

        // RFC 5034 §4: "=" is an empty initial response.
        if (!Sasl.TryDecodePlain(response == "=" ? "" : response, out var login, out var password))
        {
            return await FailedAsync("-ERR [AUTH] The PLAIN response is not valid.").ConfigureAwait(false);
        }

        return await SignInAsync(login, password).ConfigureAwait(false);
    }

    private async Task<Outcome> SignInAsync(string login, string password)
    {
        var (user, failure, message) = await signIn.SignInAsync(login, password, Surface.Pop3, connection, connection.Terminated).ConfigureAwait(false);
        if (user is null)
        {
            return await FailedAsync(failure == SignInFailure.Throttled ? $"-ERR [SYS/TEMP] {message}" : $"-ERR [AUTH] {message}").ConfigureAwait(false);
        }

        _user = user;
        var maildrop = await Maildrop.OpenAsync(store, user.Address, connection.Terminated).ConfigureAwait(false);
        if (maildrop is null)
        {
            await connection.SendLineAsync("-ERR [SYS/TEMP] The mailbox cannot be opened now; try again later.").ConfigureAwait(false);
            return Outcome.End;
        }

        _maildrop = maildrop;
        return await ReplyAsync($"+OK {maildrop.Count} messages ({maildrop.TotalSize} octets).").ConfigureAwait(false);
    }

    private async Task<Outcome> FailedAsync(string answer)
    {
        if (++_failedAuthentications >= _limits.MaxFailedAuthentications)
        {
            await connection.SendLineAsync(answer + " Closing the connection.").ConfigureAwait(false);
            return Outcome.End;
        }

        return await ReplyAsync(answer).ConfigureAwait(false);
    }

    private async Task<Outcome> TransactionAsync(string verb, string argument)
    {
        var maildrop = _maildrop!;
        switch (verb)
        {
            case "STAT":
                return await ReplyAsync($"+OK {maildrop.Count} {maildrop.TotalSize}").ConfigureAwait(false);
            case "LIST":
                return await ListAsync(argument, m => m.Message.Size.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            case "UIDL":
                return await ListAsync(argument, m => m.UniqueId).ConfigureAwait(false);
            case "RETR":
                return await RetrieveAsync(argument, bodyLines: null).ConfigureAwait(false);
            case "TOP":
                var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var lines)
                    ? await RetrieveAsync(parts[0], lines).ConfigureAwait(false)
                    : await ReplyAsync("-ERR Usage: TOP <message> <lines>.", Outcome.Invalid).ConfigureAwait(false);
            case "DELE":
                if (maildrop.Find(argument) is not { } doomed)
                {
                    return await ReplyAsync("-ERR No such message.", Outcome.Invalid).ConfigureAwait(false);
                }

                doomed.Deleted = true;
                return await ReplyAsync("+OK Marked for deletion.").ConfigureAwait(false);
            case "RSET":
                maildrop.Undelete();
                return await ReplyAsync($"+OK {maildrop.Count} messages.").ConfigureAwait(false);
            case "NOOP":
                return await ReplyAsync("+OK").ConfigureAwait(false);
            case "CAPA":
                return await CapabilitiesAsync().ConfigureAwait(false);
            case "QUIT":
                var removed = await maildrop.CommitDeletionsAsync(store, CancellationToken.None).ConfigureAwait(false);
                await connection.SendLineAsync($"+OK Bye; {removed} messages deleted.").ConfigureAwait(false);
                return Outcome.End;
            default:
                return await ReplyAsync(verb is "USER" or "PASS" or "AUTH" or "STLS" ? "-ERR Already signed in." : "-ERR Unknown command.", Outcome.Invalid).ConfigureAwait(false);
        }
    }

    private async Task<Outcome> ListAsync(string argument, Func<MaildropMessage, string> value)
    {
        var maildrop = _maildrop!;
        if (argument.Length > 0)
        {
            return maildrop.Find(argument) is { } one
                ? await ReplyAsync($"+OK {one.Number} {value(one)}").ConfigureAwait(false)
                : await ReplyAsync("-ERR No such message.", Outcome.Invalid).ConfigureAwait(false);
        }

        connection.WriteLine($"+OK {maildrop.Count} messages");
        foreach (var message in maildrop.Present)
        {
            connection.WriteLine($"{message.Number} {value(message)}");
        }

        connection.WriteLine(".");
        return await connection.FlushAsync().ConfigureAwait(false) ? Outcome.Continue : Outcome.End;
    }

    private async Task<Outcome> RetrieveAsync(string argument, int? bodyLines)
    {
        if (_maildrop!.Find(argument) is not { } message)
        {
            return await ReplyAsync("-ERR No such message.", Outcome.Invalid).ConfigureAwait(false);
        }

        var body = await store.Bodies.ReadAsync(message.Message.BodyKey, connection.Terminated).ConfigureAwait(false);
        if (body is null)
        {
            logger.LogError("POP3: the body {Key} of message {Uid} is missing", message.Message.BodyKey, message.Message.Uid);
            return await ReplyAsync("-ERR [SYS/PERM] This message cannot be read.").ConfigureAwait(false);
        }

        connection.WriteLine($"+OK {message.Message.Size} octets");
        MultiLine.Write(connection.Output, body, bodyLines);
        return await connection.FlushAsync().ConfigureAwait(false) ? Outcome.Continue : Outcome.End;
    }

    private async Task<Outcome> ReplyAsync(string line, Outcome outcome = Outcome.Continue)
    {
        if (outcome == Outcome.Continue)
        {
            _invalidInARow = 0;
        }

        return await connection.SendLineAsync(line).ConfigureAwait(false) ? outcome : Outcome.End;
    }
}
