using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mailstead.Storage;

/// <summary>The single-node default: one SQLite file, shared by the server and the CLI.</summary>
public sealed class SqliteMailsteadDbContext(DbContextOptions<SqliteMailsteadDbContext> options) : MailsteadDbContext(options)
{
    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY (https://sqlite.org/rescode.html).
    private const int ConstraintUnique = 2067;
    private const int ConstraintPrimaryKey = 1555;

    /// <summary>Points the options at SQLite; used at run time and by the design-time factory alike.</summary>
    public static DbContextOptionsBuilder<SqliteMailsteadDbContext> Configure(
        DbContextOptionsBuilder<SqliteMailsteadDbContext> builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .UseSqlite(connectionString)
            .AddInterceptors(BusyTimeoutInterceptor.Instance);
    }

    protected internal override bool IsUniqueViolation(DbUpdateException exception) =>
        exception?.InnerException is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };

    protected internal override async Task<IDbContextTransaction> BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        // Deferred: the transaction reads the snapshot of the log its first query finds. BeginTransaction's BEGIN
        // IMMEDIATE would take the write lock, so readers would queue behind every commit (and poll for the lock).
        await Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var transaction = ((SqliteConnection)Database.GetDbConnection()).BeginTransaction(deferred: true);
        return await Database.UseTransactionAsync(transaction, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("EF Core did not take the transaction.");
    }

    protected internal override async Task PrepareDatabaseAsync(CancellationToken cancellationToken)
    {
        // The write-ahead log lets readers (a running server) go on while a writer (the CLI) commits. The mode is
        // stored in the file, so setting it once is enough. In-memory databases have no WAL and answer "memory".
        await Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // SQLite keeps DateTime as text without a kind; PostgreSQL's timestamp with time zone reads back UTC and
        // refuses to write anything else. This converter makes SQLite behave the same in both directions.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <summary>Creates the folder of a file database, which SQLite will not do.</summary>
    internal static void EnsureDirectory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || source.Length == 0 || source == ":memory:")
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(v => ToStore(v), v => DateTime.SpecifyKind(v, DateTimeKind.Utc))
    {
        private static DateTime ToStore(DateTime value) => value.Kind == DateTimeKind.Utc
            ? value
            : throw new ArgumentException(
                $"Mailstead stores UTC times only; got a DateTime of kind {value.Kind}. Use TimeProvider.GetUtcNow().UtcDateTime.",
                nameof(value));
    }

    /// <summary>
    /// Waits for a lock instead of failing at once with SQLITE_BUSY when the CLI and a running server write the
    /// same file (Microsoft.Data.Sqlite also retries for the command timeout; this covers SQLite's own waits).
    /// </summary>
    private sealed class BusyTimeoutInterceptor : DbConnectionInterceptor
    {
        public static readonly BusyTimeoutInterceptor Instance = new();

        private const string Pragma = "PRAGMA busy_timeout = 10000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Pragma;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
