using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certitude.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class SearchKeyDates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The keys are copied once with their certificate's dates into a new table, whose primary key and
            // indexes are then built in one pass each: under a minute at a million certificates, where filling added
            // columns with an UPDATE would write every row twice and leave the table half dead rows.
            migrationBuilder.Sql("""
                CREATE TABLE "certificate_search_keys_dated" (
                    "CertificateId" bigint NOT NULL,
                    "Key" character varying(512) COLLATE "C" NOT NULL,
                    "NotAfter" timestamp with time zone NOT NULL,
                    "NotBefore" timestamp with time zone NOT NULL
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "certificate_search_keys_dated" ("CertificateId", "Key", "NotAfter", "NotBefore")
                SELECT k."CertificateId", k."Key", c."NotAfter", c."NotBefore"
                FROM "certificate_search_keys" AS k
                JOIN "certificates" AS c ON c."Id" = k."CertificateId";
                """);
            migrationBuilder.DropTable(name: "certificate_search_keys");
            migrationBuilder.RenameTable(name: "certificate_search_keys_dated", newName: "certificate_search_keys");
            migrationBuilder.AddPrimaryKey(
                name: "PK_certificate_search_keys",
                table: "certificate_search_keys",
                columns: new[] { "Key", "CertificateId", "NotAfter", "NotBefore" });
            migrationBuilder.CreateIndex(
                name: "IX_certificate_search_keys_CertificateId",
                table: "certificate_search_keys",
                column: "CertificateId");
            migrationBuilder.AddForeignKey(
                name: "FK_certificate_search_keys_certificates_CertificateId",
                table: "certificate_search_keys",
                column: "CertificateId",
                principalTable: "certificates",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
            migrationBuilder.Sql("""ANALYZE "certificate_search_keys";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_certificate_search_keys",
                table: "certificate_search_keys");

            migrationBuilder.DropColumn(
                name: "NotAfter",
                table: "certificate_search_keys");

            migrationBuilder.DropColumn(
                name: "NotBefore",
                table: "certificate_search_keys");

            migrationBuilder.AddPrimaryKey(
                name: "PK_certificate_search_keys",
                table: "certificate_search_keys",
                columns: new[] { "Key", "CertificateId" });
        }
    }
}
