using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certitude.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SingleSignOn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "role_assignments",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sso_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Authority = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ProtectedClientSecret = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", nullable: false),
                    GroupsClaim = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Mappings = table.Column<string>(type: "TEXT", nullable: false),
                    DisableLocalLogin = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sso_settings", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sso_settings");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "role_assignments");
        }
    }
}
