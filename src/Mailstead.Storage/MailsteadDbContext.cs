using System.Text.Json;
using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Mailstead.Core.Credentials;
using Mailstead.Core.Mail;
using Mailstead.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;

namespace Mailstead.Storage;

/// <summary>
/// The accounts and audit model, shared by both providers. Each provider has its own subclass so that each
/// has its own migrations (<c>Migrations/Sqlite</c>, <c>Migrations/Postgres</c>).
/// Tables and columns are snake_case; enums are stored by name; every DateTime is UTC.
/// </summary>
public abstract class MailsteadDbContext : DbContext
{
    // Lengths follow the values stored: RFC 5321 addresses (254), DNS names (253).
    private const int AddressLength = 254;
    private const int DomainLength = 253;
    private const int EnumLength = 32;

    protected MailsteadDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Domain> Domains => Set<Domain>();

    public DbSet<Mailbox> Mailboxes => Set<Mailbox>();

    public DbSet<Operator> Operators => Set<Operator>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<WebSession> WebSessions => Set<WebSession>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<SignInHandoff> SignInHandoffs => Set<SignInHandoff>();

    public DbSet<MailFolder> MailFolders => Set<MailFolder>();

    public DbSet<StoredMessage> Messages => Set<StoredMessage>();

    public DbSet<OutboundMessage> OutboundMessages => Set<OutboundMessage>();

    /// <summary>Whether a failed save broke a unique index (a lost race for a name, an address, an email).</summary>
    protected internal abstract bool IsUniqueViolation(DbUpdateException exception);

    /// <summary>A transaction for reading only, whose queries all see the same commit.</summary>
    protected internal virtual Task<IDbContextTransaction> BeginSnapshotAsync(CancellationToken cancellationToken) =>
        // PostgreSQL's default isolation gives each statement a snapshot of its own.
        Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    /// <summary>Provider-specific work before migrations run (SQLite: write-ahead log).</summary>
    protected internal virtual Task PrepareDatabaseAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<Domain>(domain =>
        {
            domain.ToTable("domains");
            domain.Property(d => d.Name).HasMaxLength(DomainLength);
            domain.HasIndex(d => d.Name).IsUnique().HasDatabaseName("ix_domains_name");
            domain.Property(d => d.AdminContact).HasMaxLength(512);
            domain.Property(d => d.PolicyOverrides)
                .HasConversion(o => PolicyJson.Write(o), s => PolicyJson.Read(s))
                .HasColumnName("policy_overrides");
        });

        modelBuilder.Entity<Mailbox>(mailbox =>
        {
            mailbox.ToTable("mailboxes");
            mailbox.Property(m => m.Address).HasMaxLength(AddressLength);
            mailbox.HasIndex(m => m.Address).IsUnique().HasDatabaseName("ix_mailboxes_address");
            mailbox.HasIndex(m => m.DomainId).HasDatabaseName("ix_mailboxes_domain_id");
            mailbox.HasOne<Domain>().WithMany().HasForeignKey(m => m.DomainId).OnDelete(DeleteBehavior.Restrict)
                .HasConstraintName("fk_mailboxes_domains_domain_id");
            mailbox.Property(m => m.DisplayName).HasMaxLength(256);
            mailbox.Property(m => m.RecoveryAddress).HasMaxLength(AddressLength);
            mailbox.ComplexProperty(m => m.Credential, MapCredential);
        });

        modelBuilder.Entity<Operator>(op =>
        {
            op.ToTable("operators");
            op.Property(o => o.Email).HasMaxLength(AddressLength);
            op.HasIndex(o => o.Email).IsUnique().HasDatabaseName("ix_operators_email");
            op.Property(o => o.Role).HasConversion<string>().HasMaxLength(EnumLength);
            op.ComplexProperty(o => o.Credential, MapCredential);

            // A primitive collection: JSON text in SQLite, text[] in PostgreSQL.
            op.PrimitiveCollection(o => o.Domains);
        });

        modelBuilder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.Property(a => a.Action).HasConversion<string>().HasMaxLength(EnumLength);
            audit.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(EnumLength);
            audit.Property(a => a.Surface).HasConversion<string>().HasMaxLength(EnumLength);
            audit.Property(a => a.Actor).HasMaxLength(AddressLength);
            audit.Property(a => a.Target).HasMaxLength(AddressLength);
            audit.Property(a => a.Domain).HasMaxLength(DomainLength);
            audit.Property(a => a.ClientAddress).HasMaxLength(64);
            audit.Property(a => a.Detail).HasMaxLength(1024);
            audit.HasIndex(a => a.Target).HasDatabaseName("ix_audit_events_target");
            audit.HasIndex(a => a.Domain).HasDatabaseName("ix_audit_events_domain");
            audit.HasIndex(a => a.At).HasDatabaseName("ix_audit_events_at");
        });

        modelBuilder.Entity<WebSession>(session =>
        {
            session.ToTable("web_sessions");
            session.Property(w => w.TokenHash).HasMaxLength(64);
            session.HasIndex(w => w.TokenHash).IsUnique().HasDatabaseName("ix_web_sessions_token_hash");
            session.Property(w => w.OwnerKind).HasConversion<string>().HasMaxLength(EnumLength);
            session.Property(w => w.Surface).HasConversion<string>().HasMaxLength(EnumLength);
            session.Property(w => w.Login).HasMaxLength(AddressLength);
            session.HasIndex(w => new { w.OwnerKind, w.Login }).HasDatabaseName("ix_web_sessions_owner");
            session.Property(w => w.ClientAddress).HasMaxLength(64);
            session.Property(w => w.UserAgent).HasMaxLength(256);
        });

        modelBuilder.Entity<SignInHandoff>(handoff =>
        {
            handoff.ToTable("sign_in_handoffs");
            handoff.Property(h => h.TokenHash).HasMaxLength(64);
            handoff.HasIndex(h => h.TokenHash).IsUnique().HasDatabaseName("ix_sign_in_handoffs_token_hash");
            // Bound to the session that issued it: signing out (or any end of that session) deletes the handoff too.
            handoff.HasOne<WebSession>().WithMany().HasForeignKey(h => h.SessionId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_sign_in_handoffs_web_sessions_session_id");
            handoff.HasIndex(h => h.SessionId).HasDatabaseName("ix_sign_in_handoffs_session_id");
            handoff.Property(h => h.Login).HasMaxLength(AddressLength);
            handoff.Property(h => h.TargetSurface).HasConversion<string>().HasMaxLength(EnumLength);
            handoff.HasIndex(h => h.ExpiresAt).HasDatabaseName("ix_sign_in_handoffs_expires_at");
        });

        modelBuilder.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys");
            key.HasOne<Operator>().WithMany().HasForeignKey(k => k.OperatorId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_api_keys_operators_operator_id");
            key.HasIndex(k => k.OperatorId).HasDatabaseName("ix_api_keys_operator_id");
            key.Property(k => k.Name).HasMaxLength(128);
            key.Property(k => k.Prefix).HasMaxLength(16);
            key.Property(k => k.SecretHash).HasMaxLength(64);
            key.HasIndex(k => k.SecretHash).IsUnique().HasDatabaseName("ix_api_keys_secret_hash");
        });

        modelBuilder.Entity<MailFolder>(folder =>
        {
            folder.ToTable("mail_folders");
            folder.HasOne<Mailbox>().WithMany().HasForeignKey(f => f.MailboxId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_mail_folders_mailboxes_mailbox_id");
            folder.Property(f => f.Name).HasMaxLength(MailFolder.MaxNameLength);
            folder.HasIndex(f => new { f.MailboxId, f.Name }).IsUnique().HasDatabaseName("ix_mail_folders_mailbox_id_name");
            folder.Property(f => f.SpecialUse).HasConversion<string>().HasMaxLength(EnumLength);
        });

        modelBuilder.Entity<StoredMessage>(message =>
        {
            message.ToTable("messages");
            message.HasOne<MailFolder>().WithMany().HasForeignKey(m => m.FolderId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_messages_mail_folders_folder_id");
            message.HasIndex(m => new { m.FolderId, m.Uid }).IsUnique().HasDatabaseName("ix_messages_folder_id_uid");
            message.Ignore(m => m.Flags);
            message.Property(m => m.SystemFlags).HasConversion<int>();
            message.Property(m => m.Keywords).HasMaxLength(MessageFlags.MaxStoredKeywordsLength);
            message.Property(m => m.BodyKey).HasMaxLength(64);
            message.HasIndex(m => m.BodyKey).HasDatabaseName("ix_messages_body_key");
            message.Property(m => m.MessageId).HasMaxLength(512);
            message.Property(m => m.Subject).HasMaxLength(512);
            message.Property(m => m.From).HasMaxLength(512);
            message.Property(m => m.ImportKey).HasMaxLength(256);
            message.HasIndex(m => m.ImportKey).HasDatabaseName("ix_messages_import_key");
            // The webmail's message list pages through a folder by date, sender or subject (IMessageStore.ListPageAsync):
            // each order has an index that serves its ORDER BY and the LIMIT/OFFSET walk without sorting the folder.
            // Sender and subject sort ignoring case, on (folder_id, lower(column), uid): expression indexes EF cannot
            // model, created by the migration WebmailMessageListIndexes in raw SQL both databases accept.
            message.HasIndex(m => new { m.FolderId, m.InternalDate, m.Uid }).HasDatabaseName("ix_messages_folder_id_internal_date");
            // Unread counts of every folder on every webmail page: counted in the index, without reading the rows.
            message.HasIndex(m => new { m.FolderId, m.SystemFlags }).HasDatabaseName("ix_messages_folder_id_system_flags");
            // What changed since a modseq (every session's catching up, CONDSTORE, QRESYNC) reads only the changed rows,
            // not every row of the folder after each delivery.
            message.HasIndex(m => new { m.FolderId, m.ModSeq }).HasDatabaseName("ix_messages_folder_id_mod_seq");
        });

        modelBuilder.Entity<OutboundMessage>(message =>
        {
            message.ToTable("outbound_messages");
            message.HasOne<Mailbox>().WithMany().HasForeignKey(m => m.SenderMailboxId).OnDelete(DeleteBehavior.SetNull)
                .HasConstraintName("fk_outbound_messages_mailboxes_sender_mailbox_id");
            message.HasIndex(m => m.SenderMailboxId).HasDatabaseName("ix_outbound_messages_sender_mailbox_id");
            // RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its brackets.
            message.Property(m => m.EnvelopeFrom).HasMaxLength(256);
            message.PrimitiveCollection(m => m.Recipients);
            message.Property(m => m.BodyKey).HasMaxLength(64);
            message.HasIndex(m => m.BodyKey).HasDatabaseName("ix_outbound_messages_body_key");
            message.Property(m => m.State).HasConversion<string>().HasMaxLength(EnumLength);
            message.HasIndex(m => new { m.State, m.NextAttemptAt }).HasDatabaseName("ix_outbound_messages_state_next_attempt_at");
            message.Property(m => m.LastError).HasMaxLength(1024);
        });

        ApplySnakeCaseNames(modelBuilder);
    }

    private static void MapCredential(ComplexPropertyBuilder<Credential> credential)
    {
        credential.Property(c => c.PasswordHash).HasColumnName("password_hash").HasMaxLength(512);
        credential.Property(c => c.Epoch).HasColumnName("credential_epoch");
        credential.Property(c => c.MustChange).HasColumnName("must_change_password");
        credential.Property(c => c.ChangedAt).HasColumnName("password_changed_at");
    }

    private static void ApplySnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetDeclaredProperties())
            {
                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(SnakeCase(property.Name));
                }
            }

            entity.FindPrimaryKey()?.SetName($"pk_{table}");
        }
    }

    internal static string SnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    private static class PolicyJson
    {
        private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

        public static string Write(PasswordPolicyOverrides overrides) => JsonSerializer.Serialize(overrides, Options);

        public static PasswordPolicyOverrides Read(string json) =>
            JsonSerializer.Deserialize<PasswordPolicyOverrides>(json, Options) ?? new PasswordPolicyOverrides();
    }
}
