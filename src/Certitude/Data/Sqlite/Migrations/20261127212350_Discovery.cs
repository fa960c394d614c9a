using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certitude.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Discovery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agent_enrollment_tokens",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Zone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TokenHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Revoked = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agent_enrollment_tokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "discovered_endpoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 45, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    HostName = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    StartTls = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DivisionId = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRunId = table.Column<long>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    GoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CertificateId = table.Column<long>(type: "INTEGER", nullable: true),
                    Sha256Fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ChainFingerprints = table.Column<string>(type: "TEXT", nullable: false),
                    Protocol = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CipherSuite = table.Column<string>(type: "TEXT", maxLength: 96, nullable: true),
                    SupportsTls13 = table.Column<bool>(type: "INTEGER", nullable: false),
                    HandshakeMs = table.Column<double>(type: "REAL", nullable: true),
                    Failure = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Trust = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Problems = table.Column<string>(type: "TEXT", nullable: false),
                    RogueReasons = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_discovered_endpoints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_discovered_endpoints_certificates_CertificateId",
                        column: x => x.CertificateId,
                        principalTable: "certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_discovered_endpoints_divisions_DivisionId",
                        column: x => x.DivisionId,
                        principalTable: "divisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "discovery_settings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    AllowedRanges = table.Column<string>(type: "TEXT", nullable: false),
                    ProductionRanges = table.Column<string>(type: "TEXT", nullable: false),
                    ApprovedAuthorityCertificateIds = table.Column<string>(type: "TEXT", nullable: false),
                    WildcardSpreadThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_discovery_settings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "scan_agents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Zone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SecretHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastContactAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Disabled = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scan_agents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "scan_definitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DivisionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Targets = table.Column<string>(type: "TEXT", nullable: false),
                    Ports = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Exclusions = table.Column<string>(type: "TEXT", nullable: false),
                    Schedule = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Zone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    NextRunAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scan_definitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_scan_definitions_divisions_DivisionId",
                        column: x => x.DivisionId,
                        principalTable: "divisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "scan_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DefinitionId = table.Column<long>(type: "INTEGER", nullable: true),
                    DivisionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Zone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Targets = table.Column<string>(type: "TEXT", nullable: false),
                    Ports = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Exclusions = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ChunkCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ChunksDone = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalEndpoints = table.Column<long>(type: "INTEGER", nullable: false),
                    ProbedEndpoints = table.Column<long>(type: "INTEGER", nullable: false),
                    EndpointsFound = table.Column<int>(type: "INTEGER", nullable: false),
                    Certificates = table.Column<int>(type: "INTEGER", nullable: false),
                    NewEndpoints = table.Column<int>(type: "INTEGER", nullable: false),
                    ChangedCertificates = table.Column<int>(type: "INTEGER", nullable: false),
                    GoneEndpoints = table.Column<int>(type: "INTEGER", nullable: false),
                    Errors = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scan_runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_scan_runs_divisions_DivisionId",
                        column: x => x.DivisionId,
                        principalTable: "divisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_scan_runs_scan_definitions_DefinitionId",
                        column: x => x.DefinitionId,
                        principalTable: "scan_definitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "discovery_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    EndpointId = table.Column<long>(type: "INTEGER", nullable: false),
                    DivisionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PreviousCertificateId = table.Column<long>(type: "INTEGER", nullable: true),
                    CertificateId = table.Column<long>(type: "INTEGER", nullable: true),
                    DetectedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_discovery_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_discovery_changes_discovered_endpoints_EndpointId",
                        column: x => x.EndpointId,
                        principalTable: "discovered_endpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_discovery_changes_scan_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "scan_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "endpoint_observations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EndpointId = table.Column<long>(type: "INTEGER", nullable: false),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    ObservedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CertificateId = table.Column<long>(type: "INTEGER", nullable: true),
                    Sha256Fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Protocol = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CipherSuite = table.Column<string>(type: "TEXT", maxLength: 96, nullable: true),
                    HandshakeMs = table.Column<double>(type: "REAL", nullable: true),
                    Failure = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_endpoint_observations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_endpoint_observations_discovered_endpoints_EndpointId",
                        column: x => x.EndpointId,
                        principalTable: "discovered_endpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_endpoint_observations_scan_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "scan_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scan_chunks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Zone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Targets = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LeaseHolder = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LeaseToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    LeaseExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ProbedEndpoints = table.Column<long>(type: "INTEGER", nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scan_chunks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_scan_chunks_scan_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "scan_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agent_enrollment_tokens_TokenHash",
                table: "agent_enrollment_tokens",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_discovered_endpoints_Address_Port_HostName",
                table: "discovered_endpoints",
                columns: new[] { "Address", "Port", "HostName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_discovered_endpoints_CertificateId",
                table: "discovered_endpoints",
                column: "CertificateId");

            migrationBuilder.CreateIndex(
                name: "IX_discovered_endpoints_DivisionId_Id",
                table: "discovered_endpoints",
                columns: new[] { "DivisionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_discovery_changes_DivisionId_Id",
                table: "discovery_changes",
                columns: new[] { "DivisionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_discovery_changes_EndpointId",
                table: "discovery_changes",
                column: "EndpointId");

            migrationBuilder.CreateIndex(
                name: "IX_discovery_changes_RunId_EndpointId_Kind",
                table: "discovery_changes",
                columns: new[] { "RunId", "EndpointId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_endpoint_observations_EndpointId_RunId",
                table: "endpoint_observations",
                columns: new[] { "EndpointId", "RunId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_endpoint_observations_RunId",
                table: "endpoint_observations",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_scan_chunks_RunId_Sequence",
                table: "scan_chunks",
                columns: new[] { "RunId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_scan_chunks_Zone_State_Id",
                table: "scan_chunks",
                columns: new[] { "Zone", "State", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_scan_definitions_DivisionId",
                table: "scan_definitions",
                column: "DivisionId");

            migrationBuilder.CreateIndex(
                name: "IX_scan_definitions_Enabled_NextRunAt",
                table: "scan_definitions",
                columns: new[] { "Enabled", "NextRunAt" });

            migrationBuilder.CreateIndex(
                name: "IX_scan_definitions_Name",
                table: "scan_definitions",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_scan_runs_DefinitionId_Id",
                table: "scan_runs",
                columns: new[] { "DefinitionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_scan_runs_DivisionId",
                table: "scan_runs",
                column: "DivisionId");

            migrationBuilder.CreateIndex(
                name: "IX_scan_runs_State_Id",
                table: "scan_runs",
                columns: new[] { "State", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_enrollment_tokens");

            migrationBuilder.DropTable(
                name: "discovery_changes");

            migrationBuilder.DropTable(
                name: "discovery_settings");

            migrationBuilder.DropTable(
                name: "endpoint_observations");

            migrationBuilder.DropTable(
                name: "scan_agents");

            migrationBuilder.DropTable(
                name: "scan_chunks");

            migrationBuilder.DropTable(
                name: "discovered_endpoints");

            migrationBuilder.DropTable(
                name: "scan_runs");

            migrationBuilder.DropTable(
                name: "scan_definitions");
        }
    }
}
