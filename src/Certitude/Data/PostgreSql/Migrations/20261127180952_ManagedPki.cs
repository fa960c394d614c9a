using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Certitude.Data.PostgreSql.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Connector = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ParentId = table.Column<long>(type: "bigint", nullable: true),
                    IsIssuing = table.Column<bool>(type: "boolean", nullable: false),
                    CertificateDer = table.Column<byte[]>(type: "bytea", nullable: false),
                    InventoryCertificateId = table.Column<long>(type: "bigint", nullable: false),
                    Subject = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    NotBefore = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NotAfter = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    KeyAlgorithm = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    KeyStore = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    KeyReference = table.Column<byte[]>(type: "bytea", nullable: true),
                    CrlNumber = table.Column<long>(type: "bigint", nullable: false),
                    CrlDer = table.Column<byte[]>(type: "bytea", nullable: true),
                    CrlNextUpdate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DivisionId = table.Column<long>(type: "bigint", nullable: false),
                    AuthorityId = table.Column<long>(type: "bigint", nullable: false),
                    Profile = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReplacesCertificateId = table.Column<long>(type: "bigint", nullable: true),
                    CommonName = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    Names = table.Column<List<string>>(type: "text[]", nullable: false),
                    ValidityDays = table.Column<int>(type: "integer", nullable: false),
                    NotAfter = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Csr = table.Column<byte[]>(type: "bytea", nullable: true),
                    PublicKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    KeyDescription = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PrivateKeyReference = table.Column<byte[]>(type: "bytea", nullable: true),
                    Owner = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Comments = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    RequesterId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RequesterName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequiredApprovals = table.Column<int>(type: "integer", nullable: false),
                    RejectionReason = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    CertificateId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AuthorityId = table.Column<long>(type: "bigint", nullable: false),
                    SerialNumber = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CertificateId = table.Column<long>(type: "bigint", nullable: false),
                    RequestId = table.Column<long>(type: "bigint", nullable: true),
                    SpkiSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NotBefore = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NotAfter = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevocationReason = table.Column<int>(type: "integer", nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequestId = table.Column<long>(type: "bigint", nullable: false),
                    UserKey = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    DownloadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequestId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
