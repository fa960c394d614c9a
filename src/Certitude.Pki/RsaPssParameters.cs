using System.Formats.Asn1;

namespace Certitude.Pki;

/// <summary>RSASSA-PSS-params (RFC 4055 §3.1) with the defaults filled in.</summary>
/// <param name="HashOid">The message hash.</param>
/// <param name="MgfHashOid">The hash inside MGF1, the only mask generation function defined.</param>
/// <param name="SaltLength">Salt length in bytes.</param>
/// <param name="TrailerField">1, meaning 0xBC, is the only value defined.</param>
internal sealed record RsaPssParameters(string HashOid, string MgfHashOid, int SaltLength, int TrailerField)
{
    /// <summary>Output length of the message hash in bytes; 0 when the hash is not one of the SHA-1/SHA-2 family listed.</summary>
    public int HashLength => HashOid switch
    {
        Oids.Sha1 => 20,
        Oids.Sha224 => 28,
        Oids.Sha256 => 32,
        Oids.Sha384 => 48,
        Oids.Sha512 => 64,
        _ => 0,
    };

    /// <summary>Reads the parameters; absent parameters mean every default (SHA-1, MGF1 with SHA-1, salt 20).</summary>
    /// <exception cref="AsnContentException">The parameters are malformed or name a mask function other than MGF1.</exception>
    public static RsaPssParameters Read(ReadOnlyMemory<byte>? encoded)
    {
        if (encoded is not { } value)
        {
            return new RsaPssParameters(Oids.Sha1, Oids.Sha1, 20, 1);
        }

        return AsnReading.DecodeLenient(value, reader =>
        {
            var sequence = reader.ReadSequence();
            var hash = Oids.Sha1;
            var mgfHash = Oids.Sha1;
            var salt = 20;
            var trailer = 1;
            if (TryEnter(sequence, 0, out var hashField))
            {
                hash = AsnReading.ReadAlgorithmIdentifier(hashField).Oid;
            }

            if (TryEnter(sequence, 1, out var mgfField))
            {
                var mgf = AsnReading.ReadAlgorithmIdentifier(mgfField);
                if (mgf.Oid != Oids.Mgf1 || mgf.Parameters is not { } mgfParameters)
                {
                    throw new AsnContentException($"unsupported mask generation function {mgf.Oid}");
                }

                mgfHash = AsnReading.ReadAlgorithmIdentifier(new AsnReader(mgfParameters, reader.RuleSet)).Oid;
            }

            if (TryEnter(sequence, 2, out var saltField) && !saltField.TryReadInt32(out salt))
            {
                throw new AsnContentException("salt length out of range");
            }

            if (TryEnter(sequence, 3, out var trailerField) && !trailerField.TryReadInt32(out trailer))
            {
                throw new AsnContentException("trailer field out of range");
            }

            return new RsaPssParameters(hash, mgfHash, salt, trailer);
        });
    }

    private static bool TryEnter(AsnReader sequence, int tagNumber, out AsnReader field)
    {
        var tag = new Asn1Tag(TagClass.ContextSpecific, tagNumber, isConstructed: true);
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(tag))
        {
            field = sequence.ReadSequence(tag);
            return true;
        }

        field = null!;
        return false;
    }
}
