using Mailstead.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mailstead.Storage;

/// <summary>The cluster database: several nodes share one PostgreSQL.</summary>
public sealed class PostgresMailsteadDbContext(DbContextOptions<PostgresMailsteadDbContext> options) : MailsteadDbContext(options)
{
    /// <summary>Points the options at PostgreSQL; used at run time and by the design-time factory alike.</summary>
    public static DbContextOptionsBuilder<PostgresMailsteadDbContext> Configure(
        DbContextOptionsBuilder<PostgresMailsteadDbContext> builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseNpgsql(connectionString);
    }

    protected internal override bool IsUniqueViolation(DbUpdateException exception) =>
        exception?.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // Names and addresses are normalised already; the "C" collation compares and orders them byte by byte,
        // as SQLite does, whatever locale the database was created with.
        modelBuilder.Entity<Domain>().Property(d => d.Name).UseCollation("C");
        modelBuilder.Entity<Mailbox>().Property(m => m.Address).UseCollation("C");
        modelBuilder.Entity<Operator>().Property(o => o.Email).UseCollation("C");
        modelBuilder.Entity<Mailstead.Core.Mail.MailFolder>().Property(f => f.Name).UseCollation("C");
        modelBuilder.Entity<Domain>().Property(d => d.PolicyOverrides).HasColumnType("jsonb");
    }
}
