using System.Diagnostics.Metrics;

namespace Organizer.Application.Feeds;

/// <summary>
/// What feed rendering costs, as counters any metrics exporter can read (meter "Organizer.Feeds"): how often a feed is
/// rendered at all, and how many events had to be written rather than reused from an earlier render.
/// </summary>
public static class FeedMetrics
{
    public const string MeterName = "Organizer.Feeds";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Renders = Meter.CreateCounter<long>(
        "organizer.feed.renders", unit: "{render}", description: "Calendar feeds rendered (cache misses).");

    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>(
        "organizer.feed.cache.hits", unit: "{request}", description: "Feed requests answered from the feed cache, 304s included.");

    public static readonly Counter<long> StaleServed = Meter.CreateCounter<long>(
        "organizer.feed.cache.stale_served", unit: "{request}", description: "Feeds served stale because the database could not be reached to render them.");

    public static readonly Counter<long> EventsWritten = Meter.CreateCounter<long>(
        "organizer.feed.events_written", unit: "{event}", description: "Events written as iCalendar text rather than reused from an earlier render.");
}
