namespace Mailstead.Storage.Tests;

[Collection(PostgresTests.Name)]
public sealed class PostgresAccountStoreTests(PostgresServer server) : AccountStoreTests
{
    protected override Task<TestStore> CreateStoreAsync() => CreatePostgresStoreAsync(server);

    internal static async Task<TestStore> CreatePostgresStoreAsync(PostgresServer server)
    {
        var connectionString = await server.CreateDatabaseAsync();
        // Message bodies still live in files, beside no database: a private data directory per test.
        var dataDirectory = Directory.CreateTempSubdirectory("mailstead-pg-data-").FullName;
        return await TestStore.CreateAsync(
            new Dictionary<string, string?>
            {
                ["Mailstead:Database:Provider"] = "Postgres",
                ["Mailstead:Database:ConnectionString"] = connectionString,
                ["Mailstead:DataDirectory"] = dataDirectory,
            },
            async () =>
            {
                await server.DropDatabaseAsync(connectionString);
                Directory.Delete(dataDirectory, recursive: true);
            });
    }
}
