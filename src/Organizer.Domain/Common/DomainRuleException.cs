namespace Organizer.Domain.Common;

/// <summary>A domain rule was broken; <see cref="Field"/> names the input that broke it.</summary>
public sealed class DomainRuleException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
