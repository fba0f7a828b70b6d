using Organizer.Domain.Common;

namespace Organizer.Domain.Sources;

/// <summary>A document records are cited from; <see cref="Document"/> is its file name and its stable key.</summary>
public sealed class SourceDocument : Entity
{
    public required string Document { get; set; }
    public string? Title { get; set; }
    public string? Publication { get; set; }
    public string? Author { get; set; }
    public DateOnly? PublishedOn { get; set; }
    public string? Url { get; set; }
    public string? Note { get; set; }
}
