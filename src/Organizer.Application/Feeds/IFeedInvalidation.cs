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
/// A place, organization, statement or source document was saved too. Any feed may show one of those, so no list of
/// events says which feeds it changed.
/// </param>
public sealed record FeedChange(IReadOnlyCollection<Guid> EventIds, bool BeyondEvents);
