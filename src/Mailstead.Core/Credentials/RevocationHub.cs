using System.Text.Json;
using Mailstead.Core.Accounts;
using Microsoft.Extensions.Logging;

namespace Mailstead.Core.Credentials;

public enum RevocationReason
{
    /// <summary>The password was changed or reset: everything authenticated under an older epoch ends.</summary>
    PasswordChanged,

    /// <summary>Someone ended the sessions (<c>session kick</c>, "end all sessions"): everything ends, the password stays.</summary>
    SessionsEnded,
}

/// <summary>Everything authenticated as <see cref="Owner"/> must end; <see cref="Epoch"/> is the credential epoch now in force.</summary>
public sealed record Revocation(CredentialOwner Owner, long Epoch, RevocationReason Reason)
{
    /// <summary>One line of JSON, as the CLI's control socket and the cluster relay carry it to other processes.</summary>
    public string Encode() => JsonSerializer.Serialize(new Wire(Owner.Kind.ToString(), Owner.Login, Epoch, Reason.ToString()));

    /// <summary>The revocation in <paramref name="line"/>, or null when it is not one (it comes from another process: trust nothing).</summary>
    public static Revocation? Decode(string line)
    {
        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(line);
            return wire is not null
                && Enum.TryParse<CredentialOwnerKind>(wire.Kind, out var kind)
                && Enum.TryParse<RevocationReason>(wire.Reason, out var reason)
                && EmailAddress.TryParse(wire.Login, out var login, out _)
                ? new Revocation(new CredentialOwner(kind, login.Value), wire.Epoch, reason)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Wire(string Kind, string Login, long Epoch, string Reason);
}

/// <summary>
/// In-process publication of revocations, after their transaction has committed. Web sessions, mail connections
/// and the relays to other processes (the CLI's control socket, PostgreSQL notifications) subscribe here.
/// </summary>
public sealed class RevocationHub
{
    private readonly ILogger<RevocationHub> _logger;
    private readonly Lock _gate = new();
    private Action<Revocation>[] _subscribers = [];

    public RevocationHub(ILogger<RevocationHub> logger)
    {
        _logger = logger;
    }

    /// <summary>The handler runs synchronously on the publisher's thread: it must only signal, never block.</summary>
    public IDisposable Subscribe(Action<Revocation> handler)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, handler];
        }

        return new Subscription(this, handler);
    }

    public void Publish(Revocation revocation)
    {
        foreach (var handler in Volatile.Read(ref _subscribers))
        {
            try
            {
                handler(revocation);
            }
            catch (Exception ex)
            {
                // One broken subscriber must not keep the others from closing their sessions.
                _logger.LogError(ex, "A revocation subscriber failed for {Login}", revocation.Owner.Login);
            }
        }
    }

    private void Unsubscribe(Action<Revocation> handler)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(h => h != handler)];
        }
    }

    private sealed class Subscription(RevocationHub hub, Action<Revocation> handler) : IDisposable
    {
        public void Dispose() => hub.Unsubscribe(handler);
    }
}
