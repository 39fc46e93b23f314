using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailstead.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebmailMessageListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_messages_folder_id_internal_date",
                table: "messages",
                columns: new[] { "folder_id", "internal_date", "uid" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_folder_id_system_flags",
                table: "messages",
                columns: new[] { "folder_id", "system_flags" });

            // Sender and subject sort ignoring case: expression indexes (EF cannot model them; both databases accept this SQL).
            migrationBuilder.Sql("CREATE INDEX ix_messages_folder_id_from_lower ON messages (folder_id, lower(\"from\"), uid);");
            migrationBuilder.Sql("CREATE INDEX ix_messages_folder_id_subject_lower ON messages (folder_id, lower(subject), uid);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_messages_folder_id_subject_lower;");
            migrationBuilder.Sql("DROP INDEX ix_messages_folder_id_from_lower;");

            migrationBuilder.DropIndex(
                name: "ix_messages_folder_id_internal_date",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_folder_id_system_flags",
                table: "messages");
        }
    }
}
