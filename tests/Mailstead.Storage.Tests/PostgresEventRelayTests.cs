using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Mail;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailstead.Storage.Tests;

/// <summary>Two nodes sharing one PostgreSQL hear each other's revocations and folder changes (ARCHITECTURE.md §5).</summary>
[Collection(PostgresTests.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class PostgresEventRelayTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Node _first = new();
    private readonly Node _second = new();
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        await _first.StartAsync(_database);
        await _second.StartAsync(_database);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await server.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task A_password_change_on_one_node_is_heard_on_the_other_once_and_not_echoed_back()
    {
        var revocation = new Revocation(new CredentialOwner(CredentialOwnerKind.Mailbox, "alice@example.test"), 7, RevocationReason.PasswordChanged);

        _first.Revocations.Publish(revocation);

        Assert.Equal(revocation, await _second.HeardRevocations.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        await Task.Delay(300);
        Assert.Equal(1, _first.HeardRevocations.Reader.Count);
        Assert.Equal(0, _second.HeardRevocations.Reader.Count);
    }

    [Fact]
    public async Task A_delivery_on_one_node_wakes_an_idle_client_of_that_folder_on_the_other()
    {
        var woken = new TaskCompletionSource();
        using var idle = _second.Folders.Subscribe(42, () => woken.TrySetResult());

        _first.Folders.Publish(42);

        await woken.Task.WaitAsync(Patience);
    }

    private sealed class Node : IAsyncDisposable
    {
        private PostgresEventRelay? _relay;

        public RevocationHub Revocations { get; } = new(NullLogger<RevocationHub>.Instance);

        public FolderEvents Folders { get; } = new();

        public System.Threading.Channels.Channel<Revocation> HeardRevocations { get; } = System.Threading.Channels.Channel.CreateUnbounded<Revocation>();

        public async Task StartAsync(string connectionString)
        {
            Revocations.Subscribe(r => HeardRevocations.Writer.TryWrite(r));
            _relay = new PostgresEventRelay(connectionString, Revocations, Folders, NullLogger<PostgresEventRelay>.Instance);
            await _relay.StartAsync(CancellationToken.None);
        }

        public async ValueTask DisposeAsync()
        {
            if (_relay is not null)
            {
                await _relay.DisposeAsync();
            }
        }
    }
}
