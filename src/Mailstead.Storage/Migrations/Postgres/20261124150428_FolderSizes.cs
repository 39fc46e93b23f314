using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailstead.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FolderSizes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "total_bytes",
                table: "mail_folders",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Mailboxes that already hold mail start with their real sizes.
            migrationBuilder.Sql("UPDATE mail_folders SET total_bytes = COALESCE((SELECT SUM(size) FROM messages WHERE messages.folder_id = mail_folders.id), 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "total_bytes",
                table: "mail_folders");
        }
    }
}
