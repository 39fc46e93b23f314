using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Mailstead.Storage.Tests;

public sealed class SqliteAccountStoreTests : AccountStoreTests
{
    protected override Task<TestStore> CreateStoreAsync() => CreateSqliteStoreAsync();

    internal static Task<TestStore> CreateSqliteStoreAsync()
    {
        // A data directory that does not exist yet: the default connection string puts mailstead.db in it.
        var root = Directory.CreateTempSubdirectory("mailstead-sqlite-").FullName;
        var dataDirectory = Path.Combine(root, "data");
        return TestStore.CreateAsync(
            new Dictionary<string, string?> { ["Mailstead:DataDirectory"] = dataDirectory },
            () =>
            {
                SqliteConnection.ClearPool(new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "mailstead.db") }.ToString()));
                Directory.Delete(root, recursive: true);
                return Task.CompletedTask;
            });
    }

    [Fact]
    public async Task The_default_database_is_a_file_in_the_data_directory_with_a_write_ahead_log()
    {
        await using var store = await CreateStoreAsync();

        var file = new SqliteConnectionStringBuilder(store.Options.ConnectionString).DataSource;
        Assert.Equal("mailstead.db", Path.GetFileName(file));
        Assert.True(File.Exists(file));

        await using var db = await store.Contexts.CreateDbContextAsync();
        var mode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode()").SingleAsync();
        Assert.Equal("wal", mode);
        var timeout = await db.Database.SqlQueryRaw<long>("SELECT timeout AS \"Value\" FROM pragma_busy_timeout()").SingleAsync();
        Assert.True(timeout >= 5000, $"busy_timeout is {timeout} ms");
    }
}
