using System.Text.Json.Serialization;

namespace Certitude.Features.Authority;

/// <summary>Why a request was made.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RequestKind>))]
public enum RequestKind
{
    /// <summary>A first certificate for these names.</summary>
    New,

    /// <summary>A new certificate for the same names and a new validity period; the old one stays valid until it ends.</summary>
    Renewal,

    /// <summary>The same order with other names or another key: keeps the order's end date.</summary>
    Reissue,
}
