using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailstead.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    target = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    surface = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    client_address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    detail = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "domains",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    self_service_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    admin_contact = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    policy_overrides = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_domains", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "operators",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    domains = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    password_changed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    credential_epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    must_change_password = table.Column<bool>(type: "INTEGER", nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_operators", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mailboxes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    address = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    domain_id = table.Column<long>(type: "INTEGER", nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    quota_bytes = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    password_changed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    credential_epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    must_change_password = table.Column<bool>(type: "INTEGER", nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailboxes", x => x.id);
                    table.ForeignKey(
                        name: "fk_mailboxes_domains_domain_id",
                        column: x => x.domain_id,
                        principalTable: "domains",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_at",
                table: "audit_events",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_domain",
                table: "audit_events",
                column: "domain");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_target",
                table: "audit_events",
                column: "target");

            migrationBuilder.CreateIndex(
                name: "ix_domains_name",
                table: "domains",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_mailboxes_address",
                table: "mailboxes",
                column: "address",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_mailboxes_domain_id",
                table: "mailboxes",
                column: "domain_id");

            migrationBuilder.CreateIndex(
                name: "ix_operators_email",
                table: "operators",
                column: "email",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "mailboxes");

            migrationBuilder.DropTable(
                name: "operators");

            migrationBuilder.DropTable(
                name: "domains");
        }
    }
}
