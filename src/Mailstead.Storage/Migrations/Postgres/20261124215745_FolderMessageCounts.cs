using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailstead.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FolderMessageCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "message_count",
                table: "mail_folders",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Folders that already hold mail start with their real counts.
            migrationBuilder.Sql("UPDATE mail_folders SET message_count = (SELECT COUNT(*) FROM messages WHERE messages.folder_id = mail_folders.id);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "message_count",
                table: "mail_folders");
        }
    }
}
