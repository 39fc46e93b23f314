using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Mailstead.Storage;

// Used by `dotnet ef migrations add` only (see README.md); neither connects to a database.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMailsteadDbContext>
{
    public SqliteMailsteadDbContext CreateDbContext(string[] args) =>
        new(SqliteMailsteadDbContext.Configure(new DbContextOptionsBuilder<SqliteMailsteadDbContext>(), "Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMailsteadDbContext>
{
    public PostgresMailsteadDbContext CreateDbContext(string[] args) =>
        new(PostgresMailsteadDbContext.Configure(new DbContextOptionsBuilder<PostgresMailsteadDbContext>(), "Host=localhost;Database=mailstead").Options);
}
