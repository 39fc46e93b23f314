using Mailstead.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Mailstead.Storage;

public enum DatabaseProvider
{
    /// <summary>One file in the data directory: the single-node default.</summary>
    Sqlite,

    /// <summary>A shared server: what several nodes of a cluster use.</summary>
    Postgres,
}

/// <summary>
/// Where accounts and the audit log live (configuration section <c>Mailstead:Database</c>, with
/// <c>Mailstead:DataDirectory</c> for the default SQLite file).
/// </summary>
public sealed record StorageOptions
{
    public const string Section = "Mailstead:Database";

    public const string DefaultFileName = "mailstead.db";

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    public required string ConnectionString { get; init; }

    /// <summary>
    /// Reads <c>Mailstead:Database:Provider</c> (<c>Sqlite</c>, the default, or <c>Postgres</c>) and
    /// <c>Mailstead:Database:ConnectionString</c> (default: <c>mailstead.db</c> in the data directory).
    /// </summary>
    /// <exception cref="InvalidOperationException">The provider is unknown, or Postgres has no connection string.</exception>
    public static StorageOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var provider = ParseProvider(section["Provider"]);
        var connectionString = section["ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
            {
                throw new InvalidOperationException(
                    $"{Section}:ConnectionString is required when {Section}:Provider is Postgres, " +
                    "e.g. \"Host=db.example.org;Database=mailstead;Username=mailstead;Password=…\".");
            }

            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(DataDirectory.Resolve(configuration), DefaultFileName),
            }.ToString();
        }

        return new StorageOptions { Provider = provider, ConnectionString = connectionString };
    }

    private static DatabaseProvider ParseProvider(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException(
            $"{Section}:Provider is '{value}', which Mailstead does not know: use Sqlite (the default, one file in " +
            $"{DataDirectory.Key}) or Postgres (with {Section}:ConnectionString)."),
    };
}
