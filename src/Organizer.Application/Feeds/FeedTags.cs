using Organizer.Application.Common;
using Organizer.Domain.Events;

namespace Organizer.Application.Feeds;

/// <summary>
/// The names by which cached feeds are dropped: a rendered feed carries the tags of what it shows, and a committed
/// change drops the tags of what it touched. Both sides build them here, so they cannot drift apart.
/// </summary>
public static class FeedTags
{
    /// <summary>Every cached feed, whatever it shows.</summary>
    public const string Every = "feeds";

    /// <summary>Feeds that any event may enter: all.ics and the filter feeds (their filters are too many to tag).</summary>
    public const string AnyEvent = "feeds:all";

    public static string Organization(Guid id) => $"feeds:org:{id:N}";

    /// <summary>City feeds are found by the slug of the city's name, so several spellings share one tag.</summary>
    public static string City(string city) => $"feeds:city:{Slugs.From(city)}";

    public static string Kind(EventKind kind) => $"feeds:kind:{kind.ToKebab()}";

    public static string Event(Guid id) => $"feeds:event:{id:N}";

    /// <summary>The tags a committed change drops: only the feeds that contained, or now contain, what it changed.</summary>
    public static IReadOnlyList<string> Of(FeedChange change)
    {
        if (change.BeyondEvents)
        {
            return [Every];
        }

        var tags = new List<string>();
        if (change.EventIds.Count > 0)
        {
            tags.Add(AnyEvent);
            tags.AddRange(change.EventIds.Select(Event));
        }

        tags.AddRange(change.OrganizationIds.Select(Organization));
        tags.AddRange(change.Cities.Select(City).Distinct(StringComparer.Ordinal));
        tags.AddRange(change.Kinds.Select(Kind));
        return tags;
    }
}
