using Certitude.Pki;

namespace Certitude.Features.Inventory;

/// <summary>Builds the <see cref="CertificateSearchKey"/> strings of a certificate and normalizes what users type.</summary>
public static class CertificateSearchKeys
{
    public static IEnumerable<string> For(CertificateFacts facts)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (facts.SubjectCommonName is { Length: > 0 } cn)
        {
            AddNameAndTails(keys, cn);
        }

        foreach (var san in facts.SubjectAlternativeNames)
        {
            if (san.Type is SubjectAlternativeNameType.Dns or SubjectAlternativeNameType.Email or SubjectAlternativeNameType.IpAddress or SubjectAlternativeNameType.Uri)
            {
                AddNameAndTails(keys, san.Value);
            }
        }

        Add(keys, facts.SerialNumber);
        // The facts keep the INTEGER's bytes, so a positive serial with a high first bit starts with "00";
        // openssl -serial and most tools print it without that byte, and people paste what they see.
        var serial = facts.SerialNumber;
        while (serial.Length > 2 && serial.StartsWith("00", StringComparison.Ordinal))
        {
            serial = serial[2..];
        }

        Add(keys, serial);
        Add(keys, facts.Sha256Fingerprint);
        return keys;
    }

    /// <summary>What a search for <paramref name="text"/> compares against keys: lowercase, trimmed, and for
    /// hex pasted with colons or spaces (as openssl prints serials and fingerprints) without them.</summary>
    public static string Normalize(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        var withoutSeparators = trimmed.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return withoutSeparators.Length > 0 && withoutSeparators.All(Uri.IsHexDigit) && trimmed.Contains(':', StringComparison.Ordinal)
            ? withoutSeparators
            : trimmed;
    }

    private static void AddNameAndTails(HashSet<string> keys, string name)
    {
        var value = name.Trim().ToLowerInvariant();
        Add(keys, value);
        for (var i = 0; i < value.Length - 1; i++)
        {
            if (value[i] is '.' or '@')
            {
                Add(keys, value[(i + 1)..]);
            }
        }
    }

    private static void Add(HashSet<string> keys, string key)
    {
        if (key.Length > 0)
        {
            keys.Add(key.Length > InventoryLimits.MaxSearchKeyLength ? key[..InventoryLimits.MaxSearchKeyLength] : key);
        }
    }
}
