using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certitude.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ManagedPki : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "certificate_authorities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Connector = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ParentId = table.Column<long>(type: "INTEGER", nullable: true),
                    IsIssuing = table.Column<bool>(type: "INTEGER", nullable: false),
                    CertificateDer = table.Column<byte[]>(type: "BLOB", nullable: false),
                    InventoryCertificateId = table.Column<long>(type: "INTEGER", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    NotBefore = table.Column<long>(type: "INTEGER", nullable: false),
                    NotAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    KeyAlgorithm = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    KeyStore = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    KeyReference = table.Column<byte[]>(type: "BLOB", nullable: true),
                    CrlNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    CrlDer = table.Column<byte[]>(type: "BLOB", nullable: true),
                    CrlNextUpdate = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificate_authorities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_certificate_authorities_certificate_authorities_ParentId",
                        column: x => x.ParentId,
                        principalTable: "certificate_authorities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_certificate_authorities_certificates_InventoryCertificateId",
                        column: x => x.InventoryCertificateId,
                        principalTable: "certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "certificate_requests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DivisionId = table.Column<long>(type: "INTEGER", nullable: false),
                    AuthorityId = table.Column<long>(type: "INTEGER", nullable: false),
                    Profile = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReplacesCertificateId = table.Column<long>(type: "INTEGER", nullable: true),
                    CommonName = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    Names = table.Column<string>(type: "TEXT", nullable: false),
                    ValidityDays = table.Column<int>(type: "INTEGER", nullable: false),
                    NotAfter = table.Column<long>(type: "INTEGER", nullable: true),
                    Csr = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PublicKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    KeyDescription = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PrivateKeyReference = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Comments = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    RequesterId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RequesterName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequiredApprovals = table.Column<int>(type: "INTEGER", nullable: false),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    CertificateId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificate_requests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_certificate_requests_certificate_authorities_AuthorityId",
                        column: x => x.AuthorityId,
                        principalTable: "certificate_authorities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_certificate_requests_certificates_CertificateId",
                        column: x => x.CertificateId,
                        principalTable: "certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_certificate_requests_certificates_ReplacesCertificateId",
                        column: x => x.ReplacesCertificateId,
                        principalTable: "certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_certificate_requests_divisions_DivisionId",
                        column: x => x.DivisionId,
                        principalTable: "divisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "issued_certificates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AuthorityId = table.Column<long>(type: "INTEGER", nullable: false),
                    SerialNumber = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CertificateId = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestId = table.Column<long>(type: "INTEGER", nullable: true),
                    SpkiSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NotBefore = table.Column<long>(type: "INTEGER", nullable: false),
                    NotAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevocationReason = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_issued_certificates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_issued_certificates_certificate_authorities_AuthorityId",
                        column: x => x.AuthorityId,
                        principalTable: "certificate_authorities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_issued_certificates_certificate_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "certificate_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_issued_certificates_certificates_CertificateId",
                        column: x => x.CertificateId,
                        principalTable: "certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "key_downloads",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<long>(type: "INTEGER", nullable: false),
                    UserKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    DownloadedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_key_downloads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_key_downloads_certificate_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "certificate_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "request_approvals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ApprovedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_request_approvals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_request_approvals_certificate_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "certificate_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_certificate_authorities_InventoryCertificateId",
                table: "certificate_authorities",
                column: "InventoryCertificateId");

            migrationBuilder.CreateIndex(
                name: "IX_certificate_authorities_Name",
                table: "certificate_authorities",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_certificate_authorities_ParentId",
                table: "certificate_authorities",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_certificate_requests_AuthorityId",
                table: "certificate_requests",
                column: "AuthorityId");

            migrationBuilder.CreateIndex(
                name: "IX_certificate_requests_CertificateId",
                table: "certificate_requests",
                column: "CertificateId");

            migrationBuilder.CreateIndex(
                name: "IX_certificate_requests_DivisionId_Id",
                table: "certificate_requests",
                columns: new[] { "DivisionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_certificate_requests_ReplacesCertificateId",
                table: "certificate_requests",
                column: "ReplacesCertificateId");

            migrationBuilder.CreateIndex(
                name: "IX_certificate_requests_RequesterId_Id",
                table: "certificate_requests",
                columns: new[] { "RequesterId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_certificate_requests_State_DivisionId_Id",
                table: "certificate_requests",
                columns: new[] { "State", "DivisionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_issued_certificates_AuthorityId_RevokedAt",
                table: "issued_certificates",
                columns: new[] { "AuthorityId", "RevokedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_issued_certificates_AuthorityId_SerialNumber",
                table: "issued_certificates",
                columns: new[] { "AuthorityId", "SerialNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_issued_certificates_CertificateId",
                table: "issued_certificates",
                column: "CertificateId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_issued_certificates_RequestId",
                table: "issued_certificates",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_issued_certificates_SpkiSha256",
                table: "issued_certificates",
                column: "SpkiSha256");

            migrationBuilder.CreateIndex(
                name: "IX_key_downloads_RequestId_UserKey",
                table: "key_downloads",
                columns: new[] { "RequestId", "UserKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_request_approvals_RequestId_UserName",
                table: "request_approvals",
                columns: new[] { "RequestId", "UserName" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "issued_certificates");

            migrationBuilder.DropTable(
                name: "key_downloads");

            migrationBuilder.DropTable(
                name: "request_approvals");

            migrationBuilder.DropTable(
                name: "certificate_requests");

            migrationBuilder.DropTable(
                name: "certificate_authorities");
        }
    }
}
