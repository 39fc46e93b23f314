using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailstead.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FolderFirstRecentUid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "first_recent_uid",
                table: "mail_folders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Messages already there when the server is upgraded are not news to anyone.
            migrationBuilder.Sql("UPDATE mail_folders SET first_recent_uid = uid_next;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "first_recent_uid",
                table: "mail_folders");
        }
    }
}
