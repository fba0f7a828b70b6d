using Organizer.Domain.Common;

namespace Organizer.Domain.Events;

public enum ResolutionOutcome
{
    Adopted,
    Rejected,
    Tabled,
}

/// <summary>A resolution put to an assembly.</summary>
public sealed class Resolution : Entity
{
    public Guid EventId { get; set; }
    public Event? Event { get; set; }
    public int Ordinal { get; set; }
    public required string Title { get; set; }
    public required string Text { get; set; }
    public ResolutionOutcome Outcome { get; set; } = ResolutionOutcome.Adopted;
    public List<Citation> Citations { get; set; } = [];
}
