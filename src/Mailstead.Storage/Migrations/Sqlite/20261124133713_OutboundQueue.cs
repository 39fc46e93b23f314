using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailstead.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutboundQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbound_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    sender_mailbox_id = table.Column<long>(type: "INTEGER", nullable: true),
                    envelope_from = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    recipients = table.Column<string>(type: "TEXT", nullable: false),
                    body_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    eight_bit_mime = table.Column<bool>(type: "INTEGER", nullable: false),
                    smtp_utf8 = table.Column<bool>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbound_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_outbound_messages_mailboxes_sender_mailbox_id",
                        column: x => x.sender_mailbox_id,
                        principalTable: "mailboxes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_body_key",
                table: "outbound_messages",
                column: "body_key");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_sender_mailbox_id",
                table: "outbound_messages",
                column: "sender_mailbox_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_state_next_attempt_at",
                table: "outbound_messages",
                columns: new[] { "state", "next_attempt_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbound_messages");
        }
    }
}
