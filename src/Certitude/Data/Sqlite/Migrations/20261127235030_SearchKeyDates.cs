using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certitude.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SearchKeyDates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The keys are copied once with their certificate's dates: adding the columns, filling them and rebuilding
            // the table for the new primary key would write it twice. A certificate's keys stay side by side, as an
            // import writes them (the text search that walks the list order looks up keys by certificate), so the
            // primary key's index is written in random order: with the importer's page cache rather than the 2 MiB
            // default, which would write each of its pages many times over (a million certificates: seven million
            // keys, a 400 MB index).
            migrationBuilder.Sql("PRAGMA cache_size = -524288;");
            migrationBuilder.Sql("""
                CREATE TABLE "certificate_search_keys_dated" (
                    "Key" TEXT NOT NULL,
                    "CertificateId" INTEGER NOT NULL,
                    "NotAfter" INTEGER NOT NULL,
                    "NotBefore" INTEGER NOT NULL,
                    CONSTRAINT "PK_certificate_search_keys" PRIMARY KEY ("Key", "CertificateId", "NotAfter", "NotBefore"),
                    CONSTRAINT "FK_certificate_search_keys_certificates_CertificateId" FOREIGN KEY ("CertificateId") REFERENCES "certificates" ("Id") ON DELETE CASCADE
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "certificate_search_keys_dated" ("Key", "CertificateId", "NotAfter", "NotBefore")
                SELECT k."Key", k."CertificateId", c."NotAfter", c."NotBefore"
                FROM "certificate_search_keys" AS k
                JOIN "certificates" AS c ON c."Id" = k."CertificateId"
                ORDER BY k."CertificateId";
                """);
            migrationBuilder.Sql("""DROP TABLE "certificate_search_keys";""");
            migrationBuilder.Sql("""ALTER TABLE "certificate_search_keys_dated" RENAME TO "certificate_search_keys";""");
            migrationBuilder.CreateIndex(
                name: "IX_certificate_search_keys_CertificateId",
                table: "certificate_search_keys",
                column: "CertificateId");
            migrationBuilder.Sql("PRAGMA cache_size = -2000;");
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
