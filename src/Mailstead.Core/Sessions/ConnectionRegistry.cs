using System.Collections.Concurrent;
using System.Net;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;

namespace Mailstead.Core.Sessions;

/// <summary>One authenticated mail-client connection, as the user panel's Sessions page lists it.</summary>
public sealed record LiveConnection(long Id, CredentialOwner Owner, Surface Protocol, string? ClientAddress, DateTime Since)
{
    /// <summary>What the client said it is (IMAP ID "name" and "version"), when it said so.</summary>
    public string? ClientName { get; init; }
}

/// <summary>
/// Every authenticated IMAP, POP3 and SMTP connection of this process (ARCHITECTURE.md §2). It listens to the
/// <see cref="RevocationHub"/>: a password change or reset ends the connections authenticated under an older
/// credential epoch, and "end all sessions" ends them all, at once rather than at their next command.
/// </summary>
public sealed class ConnectionRegistry : IDisposable
{
    public const string PasswordChangedReason = "The password of this mailbox was changed. Sign in again with the new password.";
    public const string EndedReason = "This session was ended from the account settings.";

    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    // The newest epoch each owner's password was revoked at: a connection that authenticated with the old password
    // just before the change but registers just after it must not survive.
    private readonly ConcurrentDictionary<CredentialOwner, long> _revokedEpochs = new();
    private readonly IDisposable _subscription;
    private readonly TimeProvider _time;
    private long _nextId;

    public ConnectionRegistry(RevocationHub revocations, TimeProvider time)
    {
        _time = time;
        _subscription = revocations.Subscribe(OnRevocation);
    }

    /// <summary>
    /// Registers a connection authenticated under <paramref name="epoch"/>. <paramref name="terminate"/> is called
    /// with the reason to tell the client when the connection must end; it must only signal, never block. Dispose
    /// the returned handle when the connection closes.
    /// </summary>
    public Registration Register(CredentialOwner owner, long epoch, Surface protocol, IPAddress? client, Action<string> terminate)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(terminate);
        var id = Interlocked.Increment(ref _nextId);
        var entry = new Entry(new LiveConnection(id, owner, protocol, client?.ToString(), _time.GetUtcNow().UtcDateTime), epoch, terminate);
        _entries[id] = entry;
        if (_revokedEpochs.TryGetValue(owner, out var revoked) && revoked > epoch)
        {
            entry.Terminate(PasswordChangedReason);
        }

        return new Registration(this, entry);
    }

    /// <summary>The open connections of <paramref name="owner"/>, oldest first.</summary>
    public IReadOnlyList<LiveConnection> List(CredentialOwner owner) =>
        [.. _entries.Values.Select(e => e.Connection).Where(c => c.Owner == owner).OrderBy(c => c.Since).ThenBy(c => c.Id)];

    /// <summary>Ends one connection of <paramref name="owner"/> ("end this session"); false when it is not theirs or already gone.</summary>
    public bool End(CredentialOwner owner, long id)
    {
        if (!_entries.TryGetValue(id, out var entry) || entry.Connection.Owner != owner)
        {
            return false;
        }

        entry.Terminate(EndedReason);
        return true;
    }

    public int Count => _entries.Count;

    public void Dispose() => _subscription.Dispose();

    private void OnRevocation(Revocation revocation)
    {
        if (revocation.Reason == RevocationReason.PasswordChanged)
        {
            _revokedEpochs.AddOrUpdate(revocation.Owner, revocation.Epoch, (_, known) => Math.Max(known, revocation.Epoch));
        }

        foreach (var entry in _entries.Values)
        {
            if (entry.Connection.Owner != revocation.Owner)
            {
                continue;
            }

            if (revocation.Reason == RevocationReason.SessionsEnded)
            {
                entry.Terminate(EndedReason);
            }
            else if (entry.Epoch < revocation.Epoch)
            {
                entry.Terminate(PasswordChangedReason);
            }
        }
    }

    internal sealed class Entry(LiveConnection connection, long epoch, Action<string> terminate)
    {
        private int _terminated;

        public LiveConnection Connection { get; set; } = connection;

        public long Epoch { get; } = epoch;

        public void Terminate(string reason)
        {
            if (Interlocked.Exchange(ref _terminated, 1) == 0)
            {
                terminate(reason);
            }
        }
    }

    /// <summary>A connection's place in the registry; disposing it removes the connection.</summary>
    public sealed class Registration : IDisposable
    {
        private readonly ConnectionRegistry _registry;
        private readonly Entry _entry;

        internal Registration(ConnectionRegistry registry, Entry entry)
        {
            _registry = registry;
            _entry = entry;
        }

        public long Id => _entry.Connection.Id;

        /// <summary>Records what the client says it is (IMAP ID), for the Sessions page.</summary>
        public void SetClientName(string? name) => _entry.Connection = _entry.Connection with { ClientName = name is { Length: > 100 } ? name[..100] : name };

        public void Dispose() => _registry._entries.TryRemove(_entry.Connection.Id, out _);
    }
}
