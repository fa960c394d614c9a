using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Discovery;

/// <summary>
/// Scan agents: enrollment tokens (organization administrators hand one to the agents of a zone), registration (the
/// agent trades the token for its own credential), and authentication of the agent's calls. Only SHA-256 hashes of
/// tokens and credentials are stored.
/// </summary>
public sealed class AgentService(IDbContextFactory<CertitudeDbContext> contexts, AuditLog audit, TimeProvider time)
{
    private const string TokenPrefix = "cte_";
    private const string CredentialPrefix = "cta_";

    public async Task<CreatedEnrollmentTokenDto> CreateTokenAsync(AccessScope access, EnrollmentTokenInput input, CancellationToken cancellationToken)
    {
        access.DemandOrganizationAdministrator();
        var zone = ScanTargetRules.NormalizeZone(input.Zone) ?? throw new DomainValidationException("zone", "Give the zone the agents will scan.");
        var hours = input.ValidHours ?? 24;
        if (hours is < 1 or > 24 * 30)
        {
            throw new DomainValidationException("validHours", "Between 1 hour and 30 days.");
        }

        var secret = TokenPrefix + RandomSecret();
        var now = time.GetUtcNow();
        var token = new AgentEnrollmentToken
        {
            Zone = zone, TokenHash = Hash(secret), CreatedBy = access.Actor.Name, CreatedAt = now, ExpiresAt = now.AddHours(hours),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.AgentEnrollmentTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, access.Actor, new AuditRecord("discovery.agent-token.create", "agent-token", Id(token.Id), null,
            new { zone, token.ExpiresAt }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedEnrollmentTokenDto(ToDto(token), secret);
    }

    public async Task<IReadOnlyList<EnrollmentTokenDto>> ListTokensAsync(AccessScope access, CancellationToken cancellationToken)
    {
        access.DemandOrganizationAdministratorToRead();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return [.. (await db.AgentEnrollmentTokens.AsNoTracking().OrderByDescending(t => t.Id).Take(500).ToListAsync(cancellationToken)).Select(ToDto)];
    }

    public async Task RevokeTokenAsync(AccessScope access, long id, CancellationToken cancellationToken)
    {
        access.DemandOrganizationAdministrator();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.AgentEnrollmentTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Enrollment token {id} not found.");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        token.Revoked = true;
        await audit.AppendAsync(db, access.Actor, new AuditRecord("discovery.agent-token.revoke", "agent-token", Id(id)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AgentDto>> ListAgentsAsync(AccessScope access, CancellationToken cancellationToken)
    {
        access.DemandOrganizationAdministratorToRead();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return [.. (await db.ScanAgents.AsNoTracking().OrderBy(a => a.Zone).ThenBy(a => a.Name).ToListAsync(cancellationToken)).Select(ToDto)];
    }

    public async Task<AgentDto> SetDisabledAsync(AccessScope access, long id, bool disabled, CancellationToken cancellationToken)
    {
        access.DemandOrganizationAdministrator();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var agent = await db.ScanAgents.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException($"Agent {id} not found.");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        agent.Disabled = disabled;
        await audit.AppendAsync(db, access.Actor, new AuditRecord(disabled ? "discovery.agent.disable" : "discovery.agent.enable", "agent", Id(id)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToDto(agent);
    }

    /// <summary>Trades a valid enrollment token for the agent's own credential (shown once).</summary>
    public async Task<AgentRegistrationDto> RegisterAsync(AgentRegistrationInput input, string? remoteAddress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.Token) || input.Token.Length > 200)
        {
            throw new UnauthorizedAccessException("An enrollment token is required.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hash = Hash(input.Token.Trim());
        var now = time.GetUtcNow();
        var token = await db.AgentEnrollmentTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null || token.Revoked || token.ExpiresAt <= now)
        {
            throw new UnauthorizedAccessException("The enrollment token is invalid, expired or revoked.");
        }

        if (ScanTargetRules.NormalizeZone(input.Zone) is { } zone && zone != token.Zone)
        {
            throw new DomainValidationException("zone", $"This enrollment token is for zone '{token.Zone}', not '{zone}'.");
        }

        var name = string.IsNullOrWhiteSpace(input.Name) ? "agent" : input.Name.Trim();
        var version = string.IsNullOrWhiteSpace(input.Version) ? "unknown" : input.Version.Trim();
        if (name.Length > DiscoveryLimits.MaxNameLength || name.Any(char.IsControl) || version.Length > 64 || version.Any(char.IsControl))
        {
            throw new DomainValidationException("name", "An agent name is at most 100 printable characters, its version at most 64.");
        }

        var secret = RandomSecret();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var agent = new ScanAgent
        {
            Name = name, Zone = token.Zone, Version = version, SecretHash = Hash(secret), RegisteredAt = now, LastContactAt = now,
            LastAddress = remoteAddress,
        };
        db.ScanAgents.Add(agent);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new Actor("agent", null, $"agent:{agent.Id}", remoteAddress),
            new AuditRecord("discovery.agent.register", "agent", Id(agent.Id), null, new { name, agent.Zone, version, EnrollmentToken = token.Id }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AgentRegistrationDto(agent.Id, agent.Zone, $"{CredentialPrefix}{agent.Id.ToString(CultureInfo.InvariantCulture)}_{secret}");
    }

    /// <summary>The agent an <c>Authorization: Bearer cta_...</c> header belongs to; records the contact.</summary>
    /// <exception cref="UnauthorizedAccessException">No valid, enabled agent credential.</exception>
    public async Task<ScanAgent> AuthenticateAsync(string? authorization, string? remoteAddress, string? version, CancellationToken cancellationToken)
    {
        var credential = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
        var separator = credential?.IndexOf('_', CredentialPrefix.Length) ?? -1;
        if (credential is null || !credential.StartsWith(CredentialPrefix, StringComparison.Ordinal) || separator < 0
            || !long.TryParse(credential.AsSpan(CredentialPrefix.Length, separator - CredentialPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new UnauthorizedAccessException("An agent credential is required.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var agent = await db.ScanAgents.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agent is null || agent.Disabled || !CryptographicOperations.FixedTimeEquals(agent.SecretHash, Hash(credential[(separator + 1)..])))
        {
            throw new UnauthorizedAccessException("The agent credential is invalid or the agent is disabled.");
        }

        agent.LastContactAt = time.GetUtcNow();
        agent.LastAddress = remoteAddress;
        if (!string.IsNullOrWhiteSpace(version) && version.Length <= 64 && !version.Any(char.IsControl))
        {
            agent.Version = version;
        }

        await db.SaveChangesAsync(cancellationToken);
        return agent;
    }

    private static string RandomSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static EnrollmentTokenDto ToDto(AgentEnrollmentToken t) => new(t.Id, t.Zone, t.CreatedAt, t.ExpiresAt, t.Revoked, t.CreatedBy);

    private static AgentDto ToDto(ScanAgent a) => new(a.Id, a.Name, a.Zone, a.Version, a.RegisteredAt, a.LastContactAt, a.LastAddress, a.Disabled);
}
