using Mailstead.Protocols.Connections;
using Microsoft.Extensions.Logging;

namespace Mailstead.Protocols.Smtp;

/// <summary>AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN, on submission over TLS only.</summary>
internal sealed partial class SmtpSession
{
    // The LOGIN mechanism's customary prompts, "Username:" and "Password:" in base64.
    private const string UsernamePrompt = "VXNlcm5hbWU6";
    private const string PasswordPrompt = "UGFzc3dvcmQ6";

    private async ValueTask<bool> AuthAsync(SmtpCommand command)
    {
        if (_mode == SmtpMode.Mx)
        {
            return Reply(502, "5.5.1", "AUTH is not available here; use the submission port");
        }

        if (!_connection.IsTls)
        {
            return Reply(MustStartTls);
        }

        if (_user is not null)
        {
            // RFC 4954 §4: after a successful AUTH, further AUTH commands get 503.
            return Reply(503, "5.5.1", "Already authenticated");
        }

        var parts = command.Argument.Split(' ', 2);
        var initial = parts.Length > 1 ? parts[1] : null;
        var step = parts[0].ToUpperInvariant() switch
        {
            "PLAIN" => await PlainAsync(initial).ConfigureAwait(false),
            "LOGIN" => await LoginAsync(initial).ConfigureAwait(false),
            _ => SaslStep.Refuse(new SmtpReply(504, "5.5.4", "Unrecognized authentication mechanism; use PLAIN or LOGIN")),
        };
        if (!step.Alive)
        {
            return false;
        }

        if (step.Refusal is not null)
        {
            return Reply(step.Refusal);
        }

        var result = await _backend.SignInAsync(step.Login!, step.Password!, _connection, _connection.Terminated).ConfigureAwait(false);
        if (result.User is not null)
        {
            _user = result.User;
            _logger.LogInformation("{Client}: authenticated as {Address}", _connection.ClientAddress, _user.Address);
            return Reply(235, "2.7.0", "Authentication successful");
        }

        // RFC 4954 §6: 535 5.7.8, in the same words whether or not the address exists.
        Reply(result.Failure switch
        {
            SignInFailure.Throttled => new SmtpReply(454, "4.7.0", result.Message),
            SignInFailure.MustChangePassword => new SmtpReply(535, "5.7.8", result.Message),
            _ => new SmtpReply(535, "5.7.8", "Authentication credentials invalid"),
        });
        if (++_failedAuthentications < _limits.MaxFailedAuthentications)
        {
            return true;
        }

        await _connection.FlushAsync().ConfigureAwait(false);
        return !Reply(421, "4.7.0", "Too many failed authentication attempts; closing connection");
    }

    /// <summary>RFC 4616: one response, <c>[authzid] NUL authcid NUL passwd</c>, as initial response or after an empty challenge.</summary>
    private async ValueTask<SaslStep> PlainAsync(string? initial)
    {
        var response = initial is null ? await ChallengeAsync("").ConfigureAwait(false) : SaslResponse.Given(initial);
        if (response.Text is null)
        {
            return new SaslStep(response.Alive, response.Refusal, null, null);
        }

        return Sasl.TryDecodePlain(response.Text, out var login, out var password)
            ? new SaslStep(true, null, login, password)
            : SaslStep.Refuse(new SmtpReply(501, "5.5.2", "Cannot decode the PLAIN response"));
    }

    /// <summary>LOGIN: the user name (or the initial response), then the password, each base64 after a prompt.</summary>
    private async ValueTask<SaslStep> LoginAsync(string? initial)
    {
        var user = initial is null or "=" ? await ChallengeAsync(UsernamePrompt).ConfigureAwait(false) : SaslResponse.Given(initial);
        if (user.Text is null)
        {
            return new SaslStep(user.Alive, user.Refusal, null, null);
        }

        var password = await ChallengeAsync(PasswordPrompt).ConfigureAwait(false);
        if (password.Text is null)
        {
            return new SaslStep(password.Alive, password.Refusal, null, null);
        }

        var login = Sasl.DecodeText(user.Text);
        var secret = Sasl.DecodeText(password.Text);
        return login is null || secret is null
            ? SaslStep.Refuse(new SmtpReply(501, "5.5.2", "Cannot decode the LOGIN response"))
            : new SaslStep(true, null, login, secret);
    }

    /// <summary>Sends a 334 challenge and reads the client's line, which is never logged.</summary>
    private async ValueTask<SaslResponse> ChallengeAsync(string challenge)
    {
        // RFC 4954 §4: "334 " with nothing after the space is an empty challenge.
        _connection.WriteLine($"334 {challenge}");
        if (!await _connection.FlushAsync().ConfigureAwait(false))
        {
            return new SaslResponse(false, null, null);
        }

        var line = await _connection.ReadLineAsync(_limits.MaxSmtpCommandLineBytes, _limits.SmtpIdleTimeout).ConfigureAwait(false);
        if (line.Status != ReadStatus.Data)
        {
            return new SaslResponse(await EndAsync(line.Status).ConfigureAwait(false), null, null);
        }

        return line.Ending == LineEnding.TooLong ? SaslResponse.Refuse(new SmtpReply(500, "5.5.6", "Authentication exchange line is too long"))
            : line.Text == "*" ? SaslResponse.Refuse(new SmtpReply(501, "5.7.0", "Authentication cancelled"))
            : SaslResponse.Given(line.Text);
    }

    /// <summary>One client line of the exchange: its <see cref="Text"/>, or a refusal, or the connection is gone (not <see cref="Alive"/>).</summary>
    private sealed record SaslResponse(bool Alive, SmtpReply? Refusal, string? Text)
    {
        public static SaslResponse Given(string text) => new(true, null, text);

        public static SaslResponse Refuse(SmtpReply reply) => new(true, reply, null);
    }

    /// <summary>The outcome of a mechanism: credentials, or a refusal, or the connection is gone (not <see cref="Alive"/>).</summary>
    private sealed record SaslStep(bool Alive, SmtpReply? Refusal, string? Login, string? Password)
    {
        public static SaslStep Refuse(SmtpReply reply) => new(true, reply, null, null);
    }
}
