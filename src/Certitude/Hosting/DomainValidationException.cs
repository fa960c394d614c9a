namespace Certitude.Hosting;

/// <summary>Input that is well-formed but breaks a rule of the domain; becomes a 400 problem naming the field.</summary>
public sealed class DomainValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
