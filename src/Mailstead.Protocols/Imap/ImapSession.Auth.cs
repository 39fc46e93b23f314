using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// Any state and not-authenticated state (RFC 3501 §6.1, §6.2), ID, ENABLE and NAMESPACE.
internal sealed partial class ImapSession
{
    private const string PrivacyRequired = "NO [PRIVACYREQUIRED] Passwords are accepted only over TLS: issue STARTTLS first.";

    // SASL responses are short base64 lines (RFC 4616: a PLAIN message is at most about 770 octets).
    private const int MaxSaslLineBytes = 8 * 1024;

    /// <summary>
    /// Before TLS: STARTTLS and LOGINDISABLED and no AUTH= (RFC 2595 §3.2, RFC 3501 §6.2.1); after TLS:
    /// AUTH=PLAIN; after login, the extensions that matter once a user is known.
    /// </summary>
    private string Capabilities()
    {
        // RFC 9051 §7.2.2: every listing includes IMAP4rev2, here next to IMAP4rev1 (rev2 behaviour needs ENABLE,
        // §6.3.1); the extensions rev2 folds in (Appendix E) are advertised by name too, for rev1 clients. LITERAL+ includes LITERAL-, and only one may be advertised (RFC 7888 §5).
        var capabilities = new StringBuilder("IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE");
        if (_user is not null)
        {
            return capabilities.Append(" UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE CONDSTORE QRESYNC ESEARCH SEARCHRES BINARY STATUS=SIZE LIST-EXTENDED LIST-STATUS").ToString();
        }

        if (_connection.CanStartTls)
        {
            capabilities.Append(" STARTTLS");
        }

        return capabilities.Append(_connection.IsTls ? " AUTH=PLAIN" : " LOGINDISABLED").ToString();
    }

    private Task<Reply> CapabilityAsync()
    {
        Untagged($"* CAPABILITY {Capabilities()}");
        return Task.FromResult(Reply.Ok("CAPABILITY completed."));
    }

    // RFC 3501 §6.1.3: BYE first, then the tagged OK.
    private async Task<Reply> LogoutAsync(string tag)
    {
        Untagged("* BYE Mailstead IMAP server logging out.");
        await SendAsync($"{tag} OK LOGOUT completed.").ConfigureAwait(false);
        _state = ImapState.Logout;
        return Reply.End;
    }

    private async Task<Reply> StartTlsAsync(string tag)
    {
        if (!_connection.CanStartTls)
        {
            return Reply.Bad(_connection.IsTls ? "TLS is already active." : "TLS is not available.");
        }

        // RFC 3501 §6.2.1: the negotiation starts after the tagged OK; whatever the client sent after the command
        // is discarded by the connection (CVE-2011-0411), and nothing learnt before carries over.
        var secured = await _connection.StartTlsAsync(c => c.SendLineAsync($"{tag} OK Begin TLS negotiation now.")).ConfigureAwait(false);
        return secured ? Reply.Answered : Reply.End;
    }

    private Task<Reply> LoginAsync(LoginCommand login) =>
        _connection.IsTls
            ? SignInAsync(login.Tag, login.UserName, login.Password)
            : Task.FromResult(new Reply(ReplyKind.Tagged, PrivacyRequired));

    /// <summary>AUTHENTICATE PLAIN (RFC 4616), with the initial response in the command (SASL-IR, RFC 4959) or after "+ ".</summary>
    private async Task<Reply> AuthenticateAsync(AuthenticateCommand authenticate)
    {
        if (!_connection.IsTls)
        {
            return new Reply(ReplyKind.Tagged, PrivacyRequired);
        }

        if (authenticate.Mechanism != "PLAIN")
        {
            return Reply.No($"[CANNOT] The {authenticate.Mechanism} mechanism is not supported; use PLAIN.");
        }

        var response = authenticate.InitialResponse;
        if (response is null)
        {
            if (!await SendAsync("+ ").ConfigureAwait(false))
            {
                return Reply.End;
            }

            var (status, line) = await ReadContinuationAsync().ConfigureAwait(false);
            if (status != ReadStatus.Data)
            {
                await GoodbyeAsync(status).ConfigureAwait(false);
                return Reply.End;
            }

            if (line is null)
            {
                return Reply.Bad("The response line is too long.");
            }

            response = line;
        }

        // RFC 3501 §6.2.2: "*" cancels the exchange, answered BAD; RFC 4959 §3: "=" is an empty initial response.
        if (response == "*")
        {
            return Reply.Bad("Authentication cancelled.");
        }

        if (!Sasl.TryDecodePlain(response == "=" ? "" : response, out var login, out var password))
        {
            return await FailedAsync(authenticate.Tag, "NO [AUTHENTICATIONFAILED] The PLAIN response is not valid.").ConfigureAwait(false);
        }

        return await SignInAsync(authenticate.Tag, login, password).ConfigureAwait(false);
    }

    private async Task<Reply> SignInAsync(string tag, string login, string password)
    {
        var (user, failure, message) = await _services.SignIn.SignInAsync(login, password, Surface.Imap, _connection, Ended).ConfigureAwait(false);
        if (user is null)
        {
            // RFC 5530 §3: the same code whether or not the address exists; throttling is a temporary condition.
            var code = failure switch
            {
                SignInFailure.Throttled => "UNAVAILABLE",
                SignInFailure.MustChangePassword => "EXPIRED",
                _ => "AUTHENTICATIONFAILED",
            };
            return await FailedAsync(tag, $"NO [{code}] {message}").ConfigureAwait(false);
        }

        var mailbox = await _services.Accounts.FindMailboxAsync(user.Address, Ended).ConfigureAwait(false);
        if (mailbox is null)
        {
            user.Dispose();
            return Reply.No("[UNAVAILABLE] The mailbox cannot be opened now; try again later.");
        }

        await Store.Metadata.EnsureDefaultFoldersAsync(mailbox.Id, Ended).ConfigureAwait(false);
        _user = user;
        _mailboxId = mailbox.Id;
        _state = ImapState.Authenticated;
        if (_clientName is not null)
        {
            user.Registration.SetClientName(_clientName);
        }

        return Reply.Ok($"[CAPABILITY {Capabilities()}] Logged in.");
    }

    private async Task<Reply> FailedAsync(string tag, string answer)
    {
        if (++_failedAuthentications < _limits.MaxFailedAuthentications)
        {
            return new Reply(ReplyKind.Tagged, answer);
        }

        Untagged($"{tag} {answer}");
        await SendAsync("* BYE Too many failed login attempts.").ConfigureAwait(false);
        return Reply.End;
    }

    /// <summary>One line the client sends inside a command (a SASL response): null text when it was too long.</summary>
    private async Task<(ReadStatus Status, string? Line)> ReadContinuationAsync()
    {
        var read = await _connection.ReadLineAsync(MaxSaslLineBytes, _limits.ImapIdleTimeout).ConfigureAwait(false);
        return (read.Status, read.Status == ReadStatus.Data && read.Ending != LineEnding.TooLong ? read.Text : null);
    }

    /// <summary>RFC 2971: the client's name and version go to the connection registry (the Sessions page); ours come back.</summary>
    private Task<Reply> IdAsync(IdCommand id)
    {
        string? Field(string name) => id.Parameters?.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
        var name = Field("name");
        if (name is not null)
        {
            _clientName = Field("version") is { } version ? $"{name} {version}" : name;
            _user?.Registration.SetClientName(_clientName);
        }

        Untagged("* ID (\"name\" \"Mailstead\" \"vendor\" \"Mailstead\")");
        return Task.FromResult(Reply.Ok("ID completed."));
    }

    /// <summary>
    /// RFC 5161 §3.1: ENABLED lists what this command asked for and is now on (CONDSTORE even when an earlier
    /// enabling command turned it on, so the client never concludes it is missing); unknown names are ignored.
    /// </summary>
    private Task<Reply> EnableAsync(EnableCommand enable)
    {
        var enabled = new List<string>();
        if (enable.Capabilities.Contains("CONDSTORE", StringComparer.OrdinalIgnoreCase))
        {
            EnableCondStore();
            enabled.Add("CONDSTORE");
        }

        if (enable.Capabilities.Contains("QRESYNC", StringComparer.OrdinalIgnoreCase))
        {
            EnableQResync();
            enabled.Add("QRESYNC");
        }

        if (enable.Capabilities.Contains(Imap4rev2, StringComparer.OrdinalIgnoreCase))
        {
            EnableImap4rev2();
            enabled.Add(Imap4rev2);
        }

        Untagged(enabled.Count == 0 ? "* ENABLED" : $"* ENABLED {string.Join(' ', enabled)}");
        return Task.FromResult(Reply.Ok("ENABLE completed."));
    }

    /// <summary>RFC 2342 §5: one personal namespace with no prefix, '/' as the delimiter; no other users' or shared ones.</summary>
    private Task<Reply> NamespaceAsync()
    {
        Untagged("* NAMESPACE ((\"\" \"/\")) NIL NIL");
        return Task.FromResult(Reply.Ok("NAMESPACE completed."));
    }
}
