using Organizer.Domain.Events;

namespace Organizer.Application.Feeds;

/// <summary>
/// Told after a save that changed something a calendar or Atom feed shows has committed, so that copies of feeds kept
/// outside the database stop being served. Persistence reports what changed; the host decides which copies go.
/// A save that changes nothing a feed shows (an idempotency record, a token, the audit log) is never reported.
/// </summary>
public interface IFeedInvalidation
{
    Task FeedsChangedAsync(FeedChange change, CancellationToken cancellationToken);
}

/// <summary>What one committed transaction changed that feeds show.</summary>
/// <param name="EventIds">Events saved, directly or through their organizations, speakers, resolutions or sources.</param>
/// <param name="BeyondEvents">
/// A place, an organization's name, a statement or a source document was saved too. Any feed may show one of those,
/// so no list of events says which feeds it changed.
/// </param>
/// <param name="OrganizationIds">
/// The organizations whose feeds showed or now show one of the events (before and after the save), and those whose
/// own details were saved.
/// </param>
/// <param name="Cities">The cities (as places spell them) of those events, before and after the save.</param>
/// <param name="Kinds">The kinds of those events, before and after the save.</param>
public sealed record FeedChange(
    IReadOnlyCollection<Guid> EventIds,
    bool BeyondEvents,
    IReadOnlyCollection<Guid> OrganizationIds,
    IReadOnlyCollection<string> Cities,
    IReadOnlyCollection<EventKind> Kinds);
