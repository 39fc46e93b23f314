using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailstead.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SignInHandoffs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sign_in_handoffs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    session_id = table.Column<long>(type: "INTEGER", nullable: false),
                    login = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    target_surface = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    used_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_handoffs", x => x.id);
                    table.ForeignKey(
                        name: "fk_sign_in_handoffs_web_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "web_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_handoffs_expires_at",
                table: "sign_in_handoffs",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_handoffs_session_id",
                table: "sign_in_handoffs",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_handoffs_token_hash",
                table: "sign_in_handoffs",
                column: "token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sign_in_handoffs");
        }
    }
}
