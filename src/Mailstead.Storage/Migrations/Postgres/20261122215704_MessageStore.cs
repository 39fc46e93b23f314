using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Mailstead.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MessageStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mail_folders",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false, collation: "C"),
                    special_use = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    uid_validity = table.Column<long>(type: "bigint", nullable: false),
                    uid_next = table.Column<long>(type: "bigint", nullable: false),
                    highest_mod_seq = table.Column<long>(type: "bigint", nullable: false),
                    subscribed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mail_folders", x => x.id);
                    table.ForeignKey(
                        name: "fk_mail_folders_mailboxes_mailbox_id",
                        column: x => x.mailbox_id,
                        principalTable: "mailboxes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    folder_id = table.Column<long>(type: "bigint", nullable: false),
                    uid = table.Column<long>(type: "bigint", nullable: false),
                    internal_date = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    system_flags = table.Column<int>(type: "integer", nullable: false),
                    keywords = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    mod_seq = table.Column<long>(type: "bigint", nullable: false),
                    body_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    message_id = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    subject = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    from = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    date = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    import_key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_messages_mail_folders_folder_id",
                        column: x => x.folder_id,
                        principalTable: "mail_folders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_mail_folders_mailbox_id_name",
                table: "mail_folders",
                columns: new[] { "mailbox_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_body_key",
                table: "messages",
                column: "body_key");

            migrationBuilder.CreateIndex(
                name: "ix_messages_folder_id_uid",
                table: "messages",
                columns: new[] { "folder_id", "uid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_import_key",
                table: "messages",
                column: "import_key");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "mail_folders");
        }
    }
}
