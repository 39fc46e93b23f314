using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Imap.Commands;
using Microsoft.Extensions.Logging;

namespace Mailstead.Protocols.Imap;

/// <summary>How a command handler left the conversation.</summary>
internal enum ReplyKind
{
    /// <summary>The loop sends the tagged status <see cref="Reply.Text"/>.</summary>
    Tagged,

    /// <summary>The handler already sent its tagged status (STARTTLS: before the handshake).</summary>
    Answered,

    /// <summary>The connection ends; the handler said goodbye if there was anyone to say it to.</summary>
    End,
}

/// <summary>A command's result: its tagged status (text after the tag) and whether it counts as an invalid command.</summary>
internal readonly record struct Reply(ReplyKind Kind, string Text = "", bool Invalid = false)
{
    public static Reply Answered => new(ReplyKind.Answered);

    public static Reply End => new(ReplyKind.End);

    public static Reply Ok(string text) => new(ReplyKind.Tagged, "OK " + text);

    public static Reply No(string text) => new(ReplyKind.Tagged, "NO " + text);

    /// <summary>RFC 3501 §7.1.3: a command the server does not understand or accept in this state.</summary>
    public static Reply Bad(string text) => new(ReplyKind.Tagged, "BAD " + text, Invalid: true);
}

/// <summary>
/// One IMAP conversation (RFC 3501 §3): a loop that frames the next command from the input (literals included),
/// parses it, checks it against the state table and dispatches it to its handler; the handlers live in partial
/// files by family. In the selected state the folder's changes made elsewhere are announced before each tagged
/// response (§5.2, §7), and as they happen during IDLE.
/// </summary>
internal sealed partial class ImapSession
{
    private readonly MailConnection _connection;
    private readonly ImapServices _services;
    private readonly ProtocolLimits _limits;
    private readonly ImapCommandFramer _framer;
    private ImapState _state = ImapState.NotAuthenticated;
    private SignedIn? _user;
    private long _mailboxId;
    private string? _clientName;
    private int _failedAuthentications;
    private int _commandsBeforeAuthentication;
    private int _invalidInARow;

    public ImapSession(MailConnection connection, ImapServices services)
    {
        _connection = connection;
        _services = services;
        _limits = connection.Limits;
        _framer = new ImapCommandFramer(ImapLimits.From(_limits, services.Mail), services.Memory);
    }

    private ILogger Logger => _services.Logger;

    private MessageStore Store => _services.Store;

    private CancellationToken Ended => _connection.Terminated;

    public async Task RunAsync()
    {
        try
        {
            if (!await SendAsync($"* OK [CAPABILITY {Capabilities()}] Mailstead IMAP4rev1 and IMAP4rev2 ready.").ConfigureAwait(false))
            {
                return;
            }

            while (_state != ImapState.Logout && await NextAsync().ConfigureAwait(false))
            {
            }
        }
        finally
        {
            _user?.Dispose();
            _framer.Abandon();
            // The connection is over (its token cancelled), but what its client was told is still news to no one else.
            await DeselectAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Reads, frames and runs one command; false when the conversation is over.</summary>
    private async Task<bool> NextAsync()
    {
        var read = await _connection.ReadAsync(_limits.ImapIdleTimeout).ConfigureAwait(false);
        if (read.Status != ReadStatus.Data)
        {
            await GoodbyeAsync(read.Status).ConfigureAwait(false);
            return false;
        }

        var buffer = read.Buffer;
        var frame = _framer.ReadCommand(buffer);
        var consumed = buffer.GetPosition(frame.Consumed);
        switch (frame.Kind)
        {
            case ImapFrameKind.NeedMoreData:
                _connection.AdvanceTo(consumed, buffer.End);
                // A client that closes in the middle of a command has sent all it will.
                return !read.IsCompleted;
            case ImapFrameKind.Continue:
                // RFC 3501 §7.5: the client sends the literal only after this.
                _connection.AdvanceTo(consumed, buffer.End);
                return !read.IsCompleted && await SendAsync("+ Ready for literal data").ConfigureAwait(false);
            case ImapFrameKind.Rejected:
                _connection.AdvanceTo(consumed);
                return await RejectedAsync(frame.Rejection!).ConfigureAwait(false);
        }

        if (!ImapCommandParser.TryParse(frame.Line, utf8Enabled: _imap4rev2, out var command, out var rejection))
        {
            _connection.AdvanceTo(consumed);
            return await RejectedAsync(rejection).ConfigureAwait(false);
        }

        // An APPEND's messages are slices of the input: they stay valid only until the input is advanced.
        // Every other command is self-contained once parsed, and may read more (IDLE, AUTHENTICATE).
        if (command.Name != ImapCommandName.Append)
        {
            _connection.AdvanceTo(consumed);
            return await RunAsync(command).ConfigureAwait(false);
        }

        var keepGoing = await RunAsync(command).ConfigureAwait(false);
        _connection.AdvanceTo(consumed);
        return keepGoing;
    }

    private async Task<bool> RejectedAsync(ImapRejection rejection)
    {
        if (_user is null && ++_commandsBeforeAuthentication > _limits.MaxCommandsBeforeAuthentication)
        {
            await SendAsync("* BYE Too many commands without logging in.").ConfigureAwait(false);
            return false;
        }

        if (rejection.ClearsSavedResult && _selected is { } selected)
        {
            selected.SavedResult = new HashSet<long>();
        }

        var answer = rejection switch
        {
            { Tag: null } => $"* BAD {rejection.Message}",
            { Reason: ImapRejectReason.UnsupportedCharset } => $"{rejection.Tag} NO [BADCHARSET (US-ASCII UTF-8)] {rejection.Message}",
            { Reason: ImapRejectReason.LiteralTooLarge } => $"{rejection.Tag} NO [TOOBIG] {rejection.Message}",
            { Reason: ImapRejectReason.ServerBusy } => $"{rejection.Tag} NO [UNAVAILABLE] {rejection.Message}",
            _ => $"{rejection.Tag} BAD {rejection.Message}",
        };
        // A busy server is nothing wrong with the command: not counted as invalid.
        return await SendAsync(answer).ConfigureAwait(false)
            && (rejection.Reason == ImapRejectReason.ServerBusy || await CountInvalidAsync().ConfigureAwait(false));
    }

    private async Task<bool> CountInvalidAsync()
    {
        if (++_invalidInARow <= _limits.MaxInvalidCommands)
        {
            return true;
        }

        await SendAsync("* BYE Too many invalid commands.").ConfigureAwait(false);
        return false;
    }

    private async Task<bool> RunAsync(ImapCommand command)
    {
        if (_user is null && ++_commandsBeforeAuthentication > _limits.MaxCommandsBeforeAuthentication)
        {
            await SendAsync("* BYE Too many commands without logging in.").ConfigureAwait(false);
            return false;
        }

        Reply reply;
        if (!ImapStateTable.Accepts(_state, command.Name))
        {
            reply = Reply.Bad(_state switch
            {
                ImapState.NotAuthenticated => $"{command.Name.ToString().ToUpperInvariant()} needs you to log in first.",
                ImapState.Authenticated => $"{command.Name.ToString().ToUpperInvariant()} needs a selected folder: SELECT one first.",
                _ => $"{command.Name.ToString().ToUpperInvariant()} is not valid in this state.",
            });
        }
        else
        {
            // Never the arguments: LOGIN and AUTHENTICATE carry secrets (as MailKit's protocol logger blanks them).
            Logger.LogDebug("IMAP {Client}: {Tag} {Command}", _connection.ClientAddress, command.Tag, command.Name);
            try
            {
                reply = await DispatchAsync(command).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (Ended.IsCancellationRequested)
            {
                await GoodbyeAsync(ReadStatus.Terminated).ConfigureAwait(false);
                return false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A response may be half written: the conversation cannot continue in step, so it ends here
                // rather than in the listener's catch-all.
                Logger.LogError(ex, "IMAP {Client}: {Command} failed", _connection.ClientAddress, command.Name);
                await SendAsync("* BYE [SERVERBUG] Internal error; please reconnect.").ConfigureAwait(false);
                return false;
            }
        }

        switch (reply.Kind)
        {
            case ReplyKind.End:
                return false;
            case ReplyKind.Tagged:
                if (_state == ImapState.Selected && !await SynchronizeAsync(ExpungeAllowed(command)).ConfigureAwait(false))
                {
                    return false;
                }

                if (!await SendAsync($"{command.Tag} {reply.Text}").ConfigureAwait(false))
                {
                    return false;
                }

                break;
        }

        if (!reply.Invalid)
        {
            _invalidInARow = 0;
            return true;
        }

        return await CountInvalidAsync().ConfigureAwait(false);
    }

    // RFC 3501 §7.4.1: no EXPUNGE while responding to FETCH, STORE or SEARCH; their UID forms are other commands.
    private static bool ExpungeAllowed(ImapCommand command) => command switch
    {
        FetchCommand fetch => fetch.Uid,
        StoreCommand store => store.Uid,
        SearchCommand search => search.Uid,
        _ => true,
    };

    private Task<Reply> DispatchAsync(ImapCommand command) => command.Name switch
    {
        ImapCommandName.Capability => CapabilityAsync(),
        ImapCommandName.Noop => Task.FromResult(Reply.Ok("NOOP completed.")),
        ImapCommandName.Logout => LogoutAsync(command.Tag),
        ImapCommandName.StartTls => StartTlsAsync(command.Tag),
        ImapCommandName.Authenticate => AuthenticateAsync((AuthenticateCommand)command),
        ImapCommandName.Login => LoginAsync((LoginCommand)command),
        ImapCommandName.Id => IdAsync((IdCommand)command),
        ImapCommandName.Enable => EnableAsync((EnableCommand)command),
        ImapCommandName.Namespace => NamespaceAsync(),
        ImapCommandName.Select or ImapCommandName.Examine => SelectAsync((SelectCommand)command),
        ImapCommandName.Create => CreateAsync((CreateCommand)command),
        ImapCommandName.Delete => DeleteAsync((MailboxCommand)command),
        ImapCommandName.Rename => RenameAsync((RenameCommand)command),
        ImapCommandName.Subscribe or ImapCommandName.Unsubscribe => SubscribeAsync((MailboxCommand)command),
        ImapCommandName.List or ImapCommandName.Lsub => ListAsync((ListCommand)command),
        ImapCommandName.Status => StatusAsync((StatusCommand)command),
        ImapCommandName.Append => AppendAsync((AppendCommand)command),
        ImapCommandName.Idle => IdleAsync(),
        ImapCommandName.Check => Task.FromResult(Reply.Ok("CHECK completed.")),
        ImapCommandName.Close => CloseAsync(),
        ImapCommandName.Unselect => UnselectAsync(),
        ImapCommandName.Expunge => ExpungeAsync((ExpungeCommand)command),
        ImapCommandName.Search => SearchAsync((SearchCommand)command),
        ImapCommandName.Fetch => FetchAsync((FetchCommand)command),
        ImapCommandName.Store => StoreAsync((StoreCommand)command),
        ImapCommandName.Copy or ImapCommandName.Move => CopyAsync((CopyCommand)command),
        _ => Task.FromResult(Reply.Bad("Unknown command.")),
    };

    /// <summary>The last words for a connection that ends without LOGOUT (RFC 3501 §7.1.5 BYE).</summary>
    private async Task GoodbyeAsync(ReadStatus status)
    {
        var farewell = status switch
        {
            ReadStatus.TimedOut => "* BYE Autologout; idle for too long",
            ReadStatus.Terminated => $"* BYE {_connection.TerminationReason}",
            _ => null,
        };
        if (farewell is not null)
        {
            await SendAsync(farewell).ConfigureAwait(false);
        }
    }

    private ValueTask<bool> SendAsync(string line) => _connection.SendLineAsync(line);

    private void Untagged(string line) => _connection.WriteLine(line);
}
