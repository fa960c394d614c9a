using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Data;

/// <summary>
/// The one model. Each database provider has a derived context (<see cref="Sqlite.SqliteCertitudeDbContext"/>,
/// <see cref="PostgreSql.PostgreSqlCertitudeDbContext"/>) so that each keeps its own migration set.
/// </summary>
public abstract class CertitudeDbContext(DbContextOptions options) : IdentityDbContext<CertitudeUser>(options)
{
    public DbSet<Certificate> Certificates => Set<Certificate>();
    public DbSet<CertificateTag> CertificateTags => Set<CertificateTag>();
    public DbSet<CertificateSource> CertificateSources => Set<CertificateSource>();
    public DbSet<CertificateSearchKey> CertificateSearchKeys => Set<CertificateSearchKey>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Division> Divisions => Set<Division>();
    public DbSet<RoleAssignment> RoleAssignments => Set<RoleAssignment>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Features.Organization.Sso.SsoSettings> SsoSettings => Set<Features.Organization.Sso.SsoSettings>();
    public DbSet<Features.Audit.AuditEntry> AuditEntries => Set<Features.Audit.AuditEntry>();
    public DbSet<Features.Authority.CertificateAuthority> CertificateAuthorities => Set<Features.Authority.CertificateAuthority>();
    public DbSet<Features.Authority.IssuedCertificate> IssuedCertificates => Set<Features.Authority.IssuedCertificate>();
    public DbSet<Features.Authority.CertificateRequestRecord> CertificateRequests => Set<Features.Authority.CertificateRequestRecord>();
    public DbSet<Features.Authority.RequestApproval> RequestApprovals => Set<Features.Authority.RequestApproval>();
    public DbSet<Features.Authority.KeyDownload> KeyDownloads => Set<Features.Authority.KeyDownload>();
    public DbSet<Features.Discovery.DiscoverySettings> DiscoverySettings => Set<Features.Discovery.DiscoverySettings>();
    public DbSet<Features.Discovery.ScanDefinition> ScanDefinitions => Set<Features.Discovery.ScanDefinition>();
    public DbSet<Features.Discovery.ScanRun> ScanRuns => Set<Features.Discovery.ScanRun>();
    public DbSet<Features.Discovery.ScanChunk> ScanChunks => Set<Features.Discovery.ScanChunk>();
    public DbSet<Features.Discovery.DiscoveredEndpoint> DiscoveredEndpoints => Set<Features.Discovery.DiscoveredEndpoint>();
    public DbSet<Features.Discovery.EndpointObservation> EndpointObservations => Set<Features.Discovery.EndpointObservation>();
    public DbSet<Features.Discovery.DiscoveryChange> DiscoveryChanges => Set<Features.Discovery.DiscoveryChange>();
    public DbSet<Features.Discovery.ScanAgent> ScanAgents => Set<Features.Discovery.ScanAgent>();
    public DbSet<Features.Discovery.AgentEnrollmentToken> AgentEnrollmentTokens => Set<Features.Discovery.AgentEnrollmentToken>();
    public DbSet<AccessStamp> AccessStamps => Set<AccessStamp>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CertitudeDbContext).Assembly);
    }
}
