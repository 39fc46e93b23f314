namespace Mailstead.Storage.Tests;

[Collection(PostgresTests.Name)]
public sealed class PostgresAccountStoreTests(PostgresServer server) : AccountStoreTests
{
    protected override Task<TestStore> CreateStoreAsync() => CreatePostgresStoreAsync(server);

    internal static async Task<TestStore> CreatePostgresStoreAsync(PostgresServer server)
    {
        var connectionString = await server.CreateDatabaseAsync();
        return await TestStore.CreateAsync(
            new Dictionary<string, string?>
            {
                ["Mailstead:Database:Provider"] = "Postgres",
                ["Mailstead:Database:ConnectionString"] = connectionString,
            },
            () => server.DropDatabaseAsync(connectionString));
    }
}
