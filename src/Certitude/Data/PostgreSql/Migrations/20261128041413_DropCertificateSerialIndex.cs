using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certitude.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class DropCertificateSerialIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_certificates_SerialNumber",
                table: "certificates");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_certificates_SerialNumber",
                table: "certificates",
                column: "SerialNumber");
        }
    }
}
