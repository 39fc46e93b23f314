using Mailstead.Core;
using Mailstead.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Storage.Tests;

/// <summary>A migrated database built the way the program builds it: configuration → AddMailsteadStorage → migrate.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly Func<Task> _cleanup;

    // Real Argon2id at libsodium's lowest cost: the hashing suite tests the production parameters.
    private static readonly Dictionary<string, string?> CheapHashing = new()
    {
        ["Mailstead:Hashing:MemoryKiB"] = "1024",
        ["Mailstead:Hashing:Iterations"] = "1",
    };

    private TestStore(ServiceProvider services, Func<Task> cleanup)
    {
        _services = services;
        _cleanup = cleanup;
    }

    public IAccountStore Store => _services.GetRequiredService<IAccountStore>();

    /// <summary>Everything <c>mailstead</c> wires over this database: accounts, credentials, revocation.</summary>
    public IServiceProvider Services => _services;

    public IDbContextFactory<MailsteadDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<MailsteadDbContext>>();

    public StorageOptions Options => _services.GetRequiredService<StorageOptions>();

    public static async Task<TestStore> CreateAsync(IReadOnlyDictionary<string, string?> settings, Func<Task> cleanup)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(CheapHashing).AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddMailsteadCore(configuration)
            .AddMailsteadStorage(configuration)
            .BuildServiceProvider(validateScopes: true);
        try
        {
            await services.MigrateMailsteadDatabaseAsync(CancellationToken.None);
        }
        catch
        {
            await services.DisposeAsync();
            await cleanup();
            throw;
        }

        return new TestStore(services, cleanup);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _cleanup();
    }
}
