using Mailstead.Core.Accounts;
using Mailstead.Core;
using Mailstead.Core.Mail;
using Mailstead.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="StorageOptions"/> (from <c>Mailstead:Database</c>), a pooled
    /// <see cref="IDbContextFactory{TContext}"/> of <see cref="MailsteadDbContext"/> for the configured provider, and
    /// <see cref="IAccountStore"/> as a singleton (one context per operation).
    /// </summary>
    /// <exception cref="InvalidOperationException">The configured provider is unknown.</exception>
    public static IServiceCollection AddMailsteadStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = StorageOptions.FromConfiguration(configuration);
        services.AddSingleton(options);

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddPooledDbContextFactory<SqliteMailsteadDbContext>(builder =>
                {
                    SqliteMailsteadDbContext.EnsureDirectory(options.ConnectionString);
                    SqliteMailsteadDbContext.Configure((DbContextOptionsBuilder<SqliteMailsteadDbContext>)builder, options.ConnectionString);
                });
                services.AddSingleton<IDbContextFactory<MailsteadDbContext>, ContextFactory<SqliteMailsteadDbContext>>();
                break;
            case DatabaseProvider.Postgres:
                services.AddPooledDbContextFactory<PostgresMailsteadDbContext>(builder =>
                    PostgresMailsteadDbContext.Configure((DbContextOptionsBuilder<PostgresMailsteadDbContext>)builder, options.ConnectionString));
                services.AddSingleton<IDbContextFactory<MailsteadDbContext>, ContextFactory<PostgresMailsteadDbContext>>();
                break;
            default:
                throw new InvalidOperationException($"No storage for database provider {options.Provider}.");
        }

        services.AddSingleton<IAccountStore, EfAccountStore>();
        services.AddSingleton<ISessionStore, EfSessionStore>();
        services.AddSingleton<ISignInHandoffStore, EfSignInHandoffStore>();
        services.AddSingleton<IApiKeyStore, EfApiKeyStore>();
        services.AddSingleton<IMessageStore, EfMessageStore>();
        services.AddSingleton<IOutboundStore, EfOutboundStore>();
        services.AddSingleton<IBodyStore>(_ => new BodyFileStore(DataDirectory.Resolve(configuration)));
        return services;
    }

    /// <summary>Brings the database to the current schema (creating it if needed); call once at start.</summary>
    public static async Task MigrateMailsteadDatabaseAsync(this IServiceProvider services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var contexts = services.GetRequiredService<IDbContextFactory<MailsteadDbContext>>();
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            await db.PrepareDatabaseAsync(ct).ConfigureAwait(false);
            await db.Database.MigrateAsync(ct).ConfigureAwait(false);
        }
    }

    // Hands out the provider's context as the shared base type, so the store does not care which provider runs.
    private sealed class ContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<MailsteadDbContext>
        where TContext : MailsteadDbContext
    {
        public MailsteadDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<MailsteadDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
    }
}
