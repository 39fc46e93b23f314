using Mailstead.Core.Credentials;
using Mailstead.Core.Mail;
using Mailstead.Storage;

namespace Mailstead.Hosting;

/// <summary>
/// With PostgreSQL, the nodes that share it pass revocations and folder changes to each other
/// (<see cref="PostgresEventRelay"/>); with SQLite there is one node and nothing to relay.
/// </summary>
internal static class ClusterEvents
{
    public static PostgresEventRelay? CreateRelay(IServiceProvider services)
    {
        var storage = services.GetRequiredService<StorageOptions>();
        return storage.Provider == DatabaseProvider.Postgres
            ? new PostgresEventRelay(storage.ConnectionString, services.GetRequiredService<RevocationHub>(), services.GetRequiredService<FolderEvents>(), services.GetRequiredService<ILogger<PostgresEventRelay>>())
            : null;
    }
}

/// <summary>Runs the relay for as long as <c>serve</c> runs.</summary>
internal sealed class ClusterEventsService(IServiceProvider services) : IHostedService, IAsyncDisposable
{
    private PostgresEventRelay? _relay;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _relay = ClusterEvents.CreateRelay(services);
        if (_relay is not null)
        {
            await _relay.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync().ConfigureAwait(false);
        }
    }
}
