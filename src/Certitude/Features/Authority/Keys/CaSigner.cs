using System.Security.Cryptography.X509Certificates;
using Certitude.Pki.Signing;

namespace Certitude.Features.Authority.Keys;

/// <summary>A CA's certificate and its opened key.</summary>
public sealed record CaSigner(X509Certificate2 Certificate, SigningKey Key);
