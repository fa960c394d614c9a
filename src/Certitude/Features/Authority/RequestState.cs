using System.Text.Json.Serialization;

namespace Certitude.Features.Authority;

/// <summary>Where a certificate request is: pending → approved or rejected → issued or failed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RequestState>))]
public enum RequestState
{
    Pending,
    Approved,
    Rejected,
    Issued,
    Failed,
}
