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

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CertitudeDbContext).Assembly);
    }
}
