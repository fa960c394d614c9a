using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Authority.Connectors;
using Certitude.Features.Authority.Keys;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Certitude.Pki;
using Certitude.Pki.Issuance;
using Certitude.Pki.Signing;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Authority;

/// <summary>Certitude's CAs: create (root or intermediate), import, list. Organization administrators only change them.</summary>
public sealed partial class AuthorityService(
    IDbContextFactory<CertitudeDbContext> contexts,
    CaKeyRing keys,
    AuthorityUrls urls,
    RevocationService revocation,
    AccessService access,
    AuditLog audit,
    TimeProvider time)
{
    private const int DefaultRootDays = 3650;
    private const int DefaultIntermediateDays = 1825;

    /// <summary>Clients whose clocks run a little behind still accept a CA made a minute ago.</summary>
    internal static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<AuthorityDto>> ListAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var all = await db.CertificateAuthorities.AsNoTracking().OrderBy(a => a.Name).ToListAsync(cancellationToken);
        return all.Select(a => ToDto(a, all)).ToList();
    }

    public async Task<AuthorityDto> GetAsync(AccessScope scope, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var all = await db.CertificateAuthorities.AsNoTracking().ToListAsync(cancellationToken);
        var authority = all.FirstOrDefault(a => a.Name == name) ?? throw new NotFoundException($"No CA named '{name}'.");
        return ToDto(authority, all);
    }

    /// <summary>The CA's certificate (DER), served at the CA-issuers URL.</summary>
    public async Task<byte[]> CertificateAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.CertificateAuthorities.AsNoTracking().Where(a => a.Name == name).Select(a => a.CertificateDer).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"No CA named '{name}'.");
    }

    public async Task<AuthorityDto> CreateAsync(AccessScope scope, AuthorityInput input, CancellationToken cancellationToken)
    {
        scope.DemandOrganizationAdministrator();
        var name = ValidateName(input.Name);
        if (string.IsNullOrWhiteSpace(input.CommonName) || input.CommonName.Trim().Length > 64)
        {
            throw new DomainValidationException("commonName", "A CA needs a common name of 1 to 64 characters.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await EnsureNameFreeAsync(db, name, cancellationToken);
        var now = time.GetUtcNow();

        CertificateAuthority? parent = null;
        if (!string.IsNullOrWhiteSpace(input.Parent))
        {
            parent = await db.CertificateAuthorities.FirstOrDefaultAsync(a => a.Name == input.Parent, cancellationToken)
                ?? throw new DomainValidationException("parent", $"No CA named '{input.Parent}'.");
            if (parent.Connector != CaConnectorKeys.BuiltIn || parent.KeyReference is null)
            {
                throw new DomainValidationException("parent", $"The CA '{parent.Name}' has no key in Certitude and cannot sign another CA.");
            }

            if (parent.NotAfter <= now)
            {
                throw new DomainValidationException("parent", $"The CA '{parent.Name}' expired on {parent.NotAfter:yyyy-MM-dd}.");
            }
        }

        var days = input.ValidityDays ?? (parent is null ? DefaultRootDays : DefaultIntermediateDays);
        var notAfter = now.AddDays(days);
        if (parent is not null && notAfter > parent.NotAfter)
        {
            // A CA cannot outlive its issuer (RFC 5280 path validation would reject the part beyond).
            notAfter = parent.NotAfter;
        }

        var subject = new X500DistinguishedNameBuilder();
        if (!string.IsNullOrWhiteSpace(input.Organization))
        {
            subject.AddOrganizationName(input.Organization.Trim());
        }

        subject.AddCommonName(input.CommonName.Trim());
        using var key = SigningKey.Generate(input.KeyType);
        var template = new CertificateTemplate
        {
            Subject = subject.Build(),
            NotBefore = now - Backdate,
            NotAfter = notAfter,
            SerialNumber = CertificateBuilder.NewSerialNumber(),
            KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature,
            IsCertificateAuthority = true,
            PathLength = parent is null ? null : 0,
            CrlDistributionPoints = parent is null ? [] : [urls.Crl(parent.Name)],
            OcspUrls = parent is null ? [] : [urls.Ocsp(parent.Name)],
            CaIssuerUrls = parent is null ? [] : [urls.CaIssuers(parent.Name)],
        };

        X509Certificate2 certificate;
        if (parent is null)
        {
            certificate = CertificateBuilder.CreateSelfSigned(template, key);
        }
        else
        {
            var signer = keys.SignerFor(parent);
            certificate = CertificateBuilder.Issue(template, key.PublicKey, signer.Certificate, signer.Key);
        }

        using (certificate)
        {
            var authority = await AddAsync(db, scope, name, input.Description, certificate, key, parent, input.Issuing ?? parent is not null, now, cancellationToken);
            await audit.AppendAsync(db, scope.Actor, new AuditRecord("authority.create", "authority", authority.Name, null,
                new { authority.Name, authority.Subject, parent = parent?.Name, key = key.Algorithm, authority.NotAfter, authority.IsIssuing }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return ToDto(authority, await db.CertificateAuthorities.AsNoTracking().ToListAsync(cancellationToken));
        }
    }

    public async Task<AuthorityDto> ImportAsync(AccessScope scope, AuthorityImportInput input, CancellationToken cancellationToken)
    {
        scope.DemandOrganizationAdministrator();
        var name = ValidateName(input.Name);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(input.CertificatePem);
        }
        catch (CryptographicException e)
        {
            throw new DomainValidationException("certificatePem", $"The CA certificate is not a PEM certificate: {e.Message}");
        }

        using (certificate)
        {
            var facts = CertificateReader.ReadFacts(certificate.RawData);
            if (!facts.IsCertificateAuthority)
            {
                throw new DomainValidationException("certificatePem", "This certificate is not a CA certificate (its basic constraints do not say CA:TRUE).");
            }

            SigningKey key;
            try
            {
                key = SigningKey.ImportPem(input.KeyPem, input.KeyPassword);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
            {
                throw new DomainValidationException("keyPem", $"The private key could not be read: {e.Message}");
            }

            using (key)
            {
                if (!key.Matches(certificate))
                {
                    throw new DomainValidationException("keyPem", "The private key does not belong to this certificate.");
                }

                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await EnsureNameFreeAsync(db, name, cancellationToken);
                if (await db.CertificateAuthorities.AnyAsync(a => a.CertificateDer == certificate.RawData, cancellationToken))
                {
                    throw new ConflictException("This CA certificate is already managed by Certitude.");
                }

                var now = time.GetUtcNow();
                var authority = await AddAsync(db, scope, name, input.Description, certificate, key, null, input.Issuing, now, cancellationToken);
                await audit.AppendAsync(db, scope.Actor, new AuditRecord("authority.import", "authority", authority.Name, null,
                    new { authority.Name, authority.Subject, key = key.Algorithm, authority.NotAfter, authority.IsIssuing }), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return ToDto(authority, await db.CertificateAuthorities.AsNoTracking().ToListAsync(cancellationToken));
            }
        }
    }

    /// <summary>Stores the CA (key sealed), records its certificate in the inventory, and publishes its first CRL.</summary>
    private async Task<CertificateAuthority> AddAsync(CertitudeDbContext db, AccessScope scope, string name, string? description,
        X509Certificate2 certificate, SigningKey key, CertificateAuthority? parent, bool issuing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        var root = tree.Root ?? throw new InvalidOperationException("The organization has no root division.");
        var inventoryId = await InventoryRecorder.RecordAsync(db, certificate.RawData, root.Id, parent?.InventoryCertificateId,
            new RecordedSource(CertificateSourceKinds.Authority, $"ca/{name}", scope.Actor.Name), null, now, cancellationToken);
        var authority = new CertificateAuthority
        {
            Name = name,
            Description = description,
            Connector = CaConnectorKeys.BuiltIn,
            ParentId = parent?.Id,
            IsIssuing = issuing,
            CertificateDer = certificate.RawData,
            InventoryCertificateId = inventoryId,
            Subject = certificate.Subject,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            KeyAlgorithm = key.Curve is { } curve ? $"{key.Algorithm} {curve}" : key.Algorithm == "RSA" ? $"RSA {key.Size}" : key.Algorithm,
            CreatedAt = now,
        };
        authority.KeyStore = keys.DefaultStore.Kind;
        authority.KeyReference = keys.DefaultStore.Store(key, CaKeyRing.Purpose(authority));
        db.CertificateAuthorities.Add(authority);
        await db.SaveChangesAsync(cancellationToken);

        if (parent is not null)
        {
            // The parent's CRL and OCSP responder answer for the intermediate like for any certificate it signed.
            db.IssuedCertificates.Add(new IssuedCertificate
            {
                AuthorityId = parent.Id,
                SerialNumber = certificate.SerialNumber.ToLowerInvariant(),
                CertificateId = inventoryId,
                SpkiSha256 = Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())),
                NotBefore = authority.NotBefore,
                NotAfter = authority.NotAfter,
                IssuedAt = now,
            });
        }

        await revocation.PublishCrlAsync(db, authority, now, cancellationToken);
        return authority;
    }

    internal static string ValidateName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        return NamePattern().IsMatch(trimmed) ? trimmed
            : throw new DomainValidationException("name", "A CA name is 1 to 64 lowercase letters, digits and hyphens, starting with a letter or digit (it appears in URLs).");
    }

    private static async Task EnsureNameFreeAsync(CertitudeDbContext db, string name, CancellationToken cancellationToken)
    {
        if (await db.CertificateAuthorities.AnyAsync(a => a.Name == name, cancellationToken))
        {
            throw new ConflictException($"A CA named '{name}' exists already.");
        }
    }

    private AuthorityDto ToDto(CertificateAuthority a, IReadOnlyList<CertificateAuthority> all) => new(
        a.Id, a.Name, a.Description, a.Connector, all.FirstOrDefault(p => p.Id == a.ParentId)?.Name, a.IsIssuing, a.Subject, a.NotBefore, a.NotAfter,
        a.KeyAlgorithm, a.InventoryCertificateId, urls.Crl(a.Name), urls.Ocsp(a.Name), urls.CaIssuers(a.Name), a.CrlNextUpdate, a.CreatedAt);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex NamePattern();
}
