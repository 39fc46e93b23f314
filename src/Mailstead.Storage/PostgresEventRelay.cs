using System.Globalization;
using System.Threading.Channels;
using Mailstead.Core.Credentials;
using Mailstead.Core.Mail;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mailstead.Storage;

/// <summary>
/// Carries revocations and folder changes between the nodes that share one PostgreSQL (ARCHITECTURE.md §5), with
/// LISTEN/NOTIFY: a password changed on one node closes the mail connections and web sessions on all of them, and
/// an IMAP client in IDLE hears of a delivery that another node took. Local events go out as NOTIFY; notifications
/// from other nodes are published here as if they were local (and not sent back out).
/// </summary>
public sealed class PostgresEventRelay : IAsyncDisposable
{
    public const string Channel = "mailstead_events";

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    // Set while a notification from another node is being published here, so it is not relayed back out.
    [ThreadStatic]
    private static bool t_replaying;

    private readonly NpgsqlDataSource _database;
    private readonly RevocationHub _revocations;
    private readonly FolderEvents _folders;
    private readonly ILogger _logger;
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly Channel<string> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _subscriptions = [];
    private Task _listening = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private readonly TaskCompletionSource _listeningStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresEventRelay(string connectionString, RevocationHub revocations, FolderEvents folders, ILogger<PostgresEventRelay> logger)
    {
        // LISTEN needs one connection for as long as the node runs; keepalive notices a dead database server.
        _database = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 30 }.ConnectionString).Build();
        _revocations = revocations;
        _folders = folders;
        _logger = logger;
    }

    /// <summary>Starts listening and relaying; returns once this node hears the other nodes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(_revocations.Subscribe(r => Send('r', r.Encode())));
        _subscriptions.Add(_folders.SubscribeAll(id => Send('f', id.ToString(CultureInfo.InvariantCulture))));
        _listening = ListenAsync(_stop.Token);
        _sending = SendAsync(_stop.Token);
        await _listeningStarted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _outgoing.Writer.TryComplete();
        await _sending.ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _listening.ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    // Payload: "<type>|<node>|<data>", r for a revocation (its JSON), f for a folder id. NOTIFY payloads stay far under 8000 bytes.
    private void Send(char type, string data)
    {
        if (!t_replaying)
        {
            _outgoing.Writer.TryWrite($"{type}|{_node}|{data}");
        }
    }

    private async Task SendAsync(CancellationToken stopping)
    {
        await foreach (var payload in _outgoing.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await using var command = _database.CreateCommand("SELECT pg_notify($1, $2)");
                command.Parameters.Add(new NpgsqlParameter { Value = Channel });
                command.Parameters.Add(new NpgsqlParameter { Value = payload });
                await command.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                // Web sessions still check the epoch in the database at their next request; only live connections on other nodes miss this.
                _logger.LogError(ex, "Could not pass an event to the other nodes");
            }
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                _listeningStarted.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                _logger.LogError(ex, "Lost the event channel to the other nodes; reconnecting");
            }

            try
            {
                await Task.Delay(ReconnectDelay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Receive(string payload)
    {
        var parts = payload.Split('|', 3);
        if (parts.Length != 3 || parts[1] == _node)
        {
            return;
        }

        t_replaying = true;
        try
        {
            switch (parts[0])
            {
                case "r" when Revocation.Decode(parts[2]) is { } revocation:
                    _revocations.Publish(revocation);
                    break;
                case "f" when long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var folderId):
                    _folders.Publish(folderId);
                    break;
                default:
                    _logger.LogWarning("Ignored a malformed event from another node");
                    break;
            }
        }
        finally
        {
            t_replaying = false;
        }
    }
}
