namespace Organizer.Application.Feeds;

/// <summary>Settings under <c>Organizer:Feeds</c>.</summary>
public sealed class FeedOptions
{
    public const string Section = "Organizer:Feeds";

    /// <summary>
    /// The right-hand side of every event's UID (<c>{id}@{UidDomain}</c>). Set it once, to a domain you control,
    /// and never change it: a new UID makes every subscriber's calendar show the event twice.
    /// </summary>
    public string UidDomain { get; set; } = "organizer.local";

    /// <summary>How many days back feeds reach; null (the default) keeps every past event, for people who look back.</summary>
    public int? PastDays { get; set; }

    /// <summary>
    /// How much rendered VEVENT text is kept between renders (<see cref="EventFragments"/>): about 700 bytes an event,
    /// so the default keeps some 90,000 events.
    /// </summary>
    public int FragmentCacheMegabytes { get; set; } = 64;

    /// <summary>
    /// How many megabytes of rendered feeds are kept. A kept feed shares its events' text with the fragment cache, so
    /// this counts the same bytes again and real use is lower.
    /// </summary>
    public int CacheMegabytes { get; set; } = 256;
}
