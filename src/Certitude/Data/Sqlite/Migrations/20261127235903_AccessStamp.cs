using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certitude.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AccessStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "access_stamps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_access_stamps", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "access_stamps",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_stamps");
        }
    }
}
