using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Storage.Tests;

public sealed class StorageOptionsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();

    [Fact]
    public void Without_settings_the_database_is_mailstead_db_in_the_default_data_directory()
    {
        var options = StorageOptions.FromConfiguration(Configuration());

        Assert.Equal(DatabaseProvider.Sqlite, options.Provider);
        Assert.Equal(
            Path.Combine(Path.GetFullPath("./data"), "mailstead.db"),
            new SqliteConnectionStringBuilder(options.ConnectionString).DataSource);
    }

    [Fact]
    public void The_sqlite_file_follows_the_data_directory()
    {
        var options = StorageOptions.FromConfiguration(Configuration(("Mailstead:DataDirectory", "/var/lib/mailstead")));

        Assert.Equal("/var/lib/mailstead/mailstead.db", new SqliteConnectionStringBuilder(options.ConnectionString).DataSource);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("postgresql")]
    public void Postgres_takes_the_configured_connection_string(string provider)
    {
        var options = StorageOptions.FromConfiguration(Configuration(
            ("Mailstead:Database:Provider", provider),
            ("Mailstead:Database:ConnectionString", "Host=db;Database=mailstead")));

        Assert.Equal(DatabaseProvider.Postgres, options.Provider);
        Assert.Equal("Host=db;Database=mailstead", options.ConnectionString);
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused_with_the_key_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            StorageOptions.FromConfiguration(Configuration(("Mailstead:Database:Provider", "Postgres"))));

        Assert.Contains("Mailstead:Database:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MySql")]
    [InlineData("1")]
    public void An_unknown_provider_is_refused_with_the_names_that_work(string provider)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddMailsteadStorage(Configuration(("Mailstead:Database:Provider", provider))));

        Assert.Contains($"'{provider}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sqlite", error.Message, StringComparison.Ordinal);
        Assert.Contains("Postgres", error.Message, StringComparison.Ordinal);
    }
}
