using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Tls.Validation;

/// <summary>
/// Judges a certificate chain as a server presented it: trust, completeness, validity period, host name. Offline by
/// design: no certificate is downloaded (AIA) and no revocation is checked, so the verdict describes what the server
/// sends, not what a client could repair by fetching.
/// </summary>
public static class ChainCheck
{
    /// <summary>Chain status flags that never affect trust here: validity periods are reported on their own, and
    /// RFC 5280 does not require a certificate's validity to nest inside its issuer's.</summary>
    private const X509ChainStatusFlags TimeFlags = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;

    private static readonly ChainReport Malformed = new(ChainTrust.Untrusted, null, false, false, false, false, false, null, null, null,
        ["malformed-certificate"]);

    /// <summary>
    /// Evaluates a presented chain (leaf first, DER) as a certificate manager would.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Trust: the chain is built with <see cref="X509Chain"/> from the leaf and the presented certificates only
    /// (downloads disabled, revocation not checked, verification at <paramref name="now"/>), first against the system
    /// trust store (<see cref="ChainTrust.System"/>), then, when that fails, against <paramref name="organizationAnchors"/>
    /// alone (<see cref="ChainTrust.Organization"/>). A chain is trusted when it reaches an anchor with no error other
    /// than the leaf's own validity period (reported as expired, not-yet-valid): an expired intermediate, a bad
    /// signature, a broken name or basic constraint make it untrusted.
    /// </para>
    /// <para>
    /// Incomplete chain: a trusted chain is incomplete when the path to its anchor uses a certificate that the server
    /// did not present and that is not the anchor itself (this machine happened to hold a missing intermediate, a client
    /// elsewhere would not). An untrusted chain is incomplete when the path built from the presented certificates stops
    /// at a certificate that is not self-issued and whose issuer is neither presented, nor in the system store, nor an
    /// organization anchor (<see cref="X509ChainStatusFlags.PartialChain"/> in every attempt): a link is missing, or the
    /// chain's root is one nobody here knows, and no client can complete it without fetching.
    /// </para>
    /// <para>
    /// Host name: RFC 6125 matching against the subject alternative names only (DNS names, wildcards in the left-most
    /// label; IP address entries for an IP literal); the common name is not consulted, as modern clients ignore it.
    /// </para>
    /// <para>
    /// An empty chain or an unparsable leaf gives only "malformed-certificate": trust <see cref="ChainTrust.Untrusted"/>,
    /// every other finding false or null. Unparsable certificates after the leaf are ignored (they cannot link anything).
    /// </para>
    /// </remarks>
    /// <param name="chain">The certificates as presented, leaf first, DER.</param>
    /// <param name="hostName">The name a client would connect to (a DNS name or an IP literal); null to skip the check.</param>
    /// <param name="now">When to evaluate validity and trust.</param>
    /// <param name="expiringWindow">A leaf whose notAfter falls within this span after <paramref name="now"/> is expiring.</param>
    /// <param name="organizationAnchors">The organization's own root certificates; null or empty for none.</param>
    public static ChainReport Evaluate(IReadOnlyList<byte[]> chain, string? hostName, DateTimeOffset now, TimeSpan expiringWindow,
        IReadOnlyCollection<X509Certificate2>? organizationAnchors = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var leaf = chain.Count > 0 ? TryLoad(chain[0]) : null;
        if (leaf is null)
        {
            return Malformed;
        }

        var presented = new List<X509Certificate2>();
        try
        {
            foreach (var der in chain.Skip(1))
            {
                if (TryLoad(der) is { } certificate)
                {
                    presented.Add(certificate);
                }
            }

            var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var expired = now > notAfter;
            var notYetValid = now < notBefore;
            var expiring = !expired && !notYetValid && notAfter - now <= expiringWindow;
            var selfSigned = IsSelfSigned(leaf, chain[0]);
            bool? hostnameMatches = hostName is null ? null : MatchesHostName(leaf, hostName);

            var system = Build(leaf, presented, now, null);
            var organization = !system.Trusted && organizationAnchors is { Count: > 0 } ? Build(leaf, presented, now, organizationAnchors) : null;
            var trust = system.Trusted ? ChainTrust.System : organization?.Trusted == true ? ChainTrust.Organization : ChainTrust.Untrusted;
            var incomplete = trust switch
            {
                ChainTrust.System => system.UsesUnpresented,
                ChainTrust.Organization => organization!.UsesUnpresented,
                _ => system.Partial && (organization is null || organization.Partial),
            };

            var problems = new List<string>();
            Add(problems, expired, "expired");
            Add(problems, notYetValid, "not-yet-valid");
            Add(problems, expiring, "expiring");
            Add(problems, selfSigned, "self-signed");
            Add(problems, trust == ChainTrust.Untrusted, "untrusted");
            Add(problems, incomplete, "incomplete-chain");
            Add(problems, hostnameMatches == false, "hostname-mismatch");
            return new ChainReport(trust, hostnameMatches, expired, expiring, notYetValid, selfSigned, incomplete, notAfter,
                leaf.SubjectName.Name, leaf.IssuerName.Name, problems);
        }
        finally
        {
            leaf.Dispose();
            foreach (var certificate in presented)
            {
                certificate.Dispose();
            }
        }
    }

    private static void Add(List<string> problems, bool condition, string code)
    {
        if (condition)
        {
            problems.Add(code);
        }
    }

    private static X509Certificate2? TryLoad(byte[] der)
    {
        try
        {
            return der is { Length: > 0 } ? X509CertificateLoader.LoadCertificate(der) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static PathResult Build(X509Certificate2 leaf, List<X509Certificate2> presented, DateTimeOffset now,
        IReadOnlyCollection<X509Certificate2>? anchors)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;

        // Local time is right whichever way the platform reads the value (older APIs assume local time).
        policy.VerificationTime = now.LocalDateTime;
        policy.VerificationTimeIgnored = false;
        policy.ExtraStore.AddRange(presented.ToArray());
        if (anchors is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(anchors.ToArray());
        }

        chain.Build(leaf);
        try
        {
            var chainFlags = Flags(chain.ChainStatus);
            var partial = (chainFlags & X509ChainStatusFlags.PartialChain) != 0;
            var elements = chain.ChainElements;

            // The leaf's own validity is reported separately; any other certificate out of its validity breaks trust.
            var trusted = !partial && elements.Count > 0 && (chainFlags & ~TimeFlags) == X509ChainStatusFlags.NoError;
            for (var i = 1; trusted && i < elements.Count; i++)
            {
                trusted = (Flags(elements[i].ChainElementStatus) & ~X509ChainStatusFlags.NotTimeNested) == X509ChainStatusFlags.NoError;
            }

            var usesUnpresented = false;
            for (var i = 1; i < elements.Count - 1; i++)
            {
                var raw = elements[i].Certificate.RawDataMemory;
                usesUnpresented |= !presented.Any(p => p.RawDataMemory.Span.SequenceEqual(raw.Span));
            }

            return new PathResult(trusted, partial, usesUnpresented);
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    private static X509ChainStatusFlags Flags(X509ChainStatus[] statuses)
    {
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in statuses)
        {
            flags |= status.Status;
        }

        return flags;
    }

    private static bool IsSelfSigned(X509Certificate2 leaf, byte[] der)
    {
        if (!leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData))
        {
            return false;
        }

        // .NET has no API to check one signature outside chain building (which does not verify an anchor's own
        // signature), so BouncyCastle checks it.
        try
        {
            var certificate = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(der);
            certificate.Verify(certificate.GetPublicKey());
            return true;
        }
#pragma warning disable CA1031 // Whatever BouncyCastle throws (unknown algorithm, unusable key, bad signature) means "does not verify".
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static bool MatchesHostName(X509Certificate2 leaf, string hostName)
    {
        var name = hostName.Trim().TrimEnd('.');
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            name = name[1..^1];
        }

        if (IPAddress.TryParse(name, out var address))
        {
            address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            foreach (var extension in leaf.Extensions)
            {
                if (extension.Oid?.Value == "2.5.29.17")
                {
                    var names = new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
                    if (names.EnumerateIPAddresses().Any(a => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(address)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        try
        {
            return leaf.MatchesHostname(name, allowWildcards: true, allowCommonName: false);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed record PathResult(bool Trusted, bool Partial, bool UsesUnpresented);
}
