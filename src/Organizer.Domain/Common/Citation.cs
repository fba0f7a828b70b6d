namespace Organizer.Domain.Common;

/// <summary>Provenance of a record: the source document it rests on and the quote from it.</summary>
public sealed record Citation(string Document, string Quote);
