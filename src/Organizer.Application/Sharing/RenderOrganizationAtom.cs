using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Organizer.Application.Feeds;
using Organizer.Application.Timeline;
using Organizer.Application.Common.Links;

namespace Organizer.Application.Sharing;

/// <summary>
/// An organization's record as an Atom feed (RFC 4287) for feed readers: its timeline's upcoming actions and its most
/// recent past ones. The slug may be an alias.
/// </summary>
public sealed record RenderOrganizationAtomQuery(string Slug) : IQuery<RenderedFeed>;

/// <summary>
/// Reads the timeline as its JSON list does, so the feed shows exactly what <c>/api/organizations/{slug}/actions</c> does.
/// Upcoming actions are included as well as past ones: for someone following a group, an announced rally is the news.
/// </summary>
public sealed class RenderOrganizationAtomQueryHandler(
    IOrganizerDbContext db, ITimelineQueries timeline, TimeProvider clock, ILinks links, IOptions<FeedOptions> options)
    : IQueryHandler<RenderOrganizationAtomQuery, RenderedFeed>
{
    /// <summary>How many actions each way (upcoming, past) the feed carries.</summary>
    public const int EntriesEachWay = 50;

    // Tag URIs (RFC 4151) name feed and entries by permanent ids under the configured domain, so a new host name
    // or slug never makes a reader show an entry twice. The date is when this naming scheme was minted; never change it.
    private const string TagDate = "2026";

    public async ValueTask<RenderedFeed> Handle(RenderOrganizationAtomQuery query, CancellationToken cancellationToken)
    {
        var limit = EntriesEachWay.ToString(CultureInfo.InvariantCulture);
        var reader = new TimelineReader(db, timeline, clock);
        var past = await reader.ReadAsync(new GetTimelineQuery(query.Slug, When: "past", Limit: limit), cancellationToken);
        var upcoming = await reader.ReadAsync(new GetTimelineQuery(query.Slug, When: "upcoming", Limit: limit), cancellationToken);
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Slug == past.Organization)
            .Select(o => new { o.Id, o.Slug, o.Name, o.Website, o.UpdatedAt }).SingleAsync(cancellationToken);

        // A series is one entry, however many of its occurrences the timeline lists: an entry's id is the event's, and
        // a reader shows one id once. It stands where its next occurrence is (or, when all are past, its latest).
        var shown = upcoming.Items.Concat(past.Items).DistinctBy(i => (i.Type, i.Slug)).ToHashSet(ReferenceEqualityComparer.Instance);

        // Furthest upcoming first, then the past newest first: one order by date, as a reader lists them.
        var items = upcoming.Items.Reverse().Concat(past.Items).Where(shown.Contains).ToList();
        var stamps = await StampsAsync(items, cancellationToken);

        // An item deleted between the queries has no stamp; it is gone, so leave it out.
        items = items.Where(i => stamps.ContainsKey((i.Type, i.Slug))).ToList();

        var domain = options.Value.UidDomain;
        var entries = items.Select(item =>
        {
            var stamp = stamps[(item.Type, item.Slug)];
            var entry = new SyndicationItem
            {
                // A series is one entry (above), under the event's own id as it moves from one occurrence to the next.
                Id = $"tag:{domain},{TagDate}:{item.Type.ToString().ToLowerInvariant()}/{stamp.Id:D}",
                Title = new TextSyndicationContent(item.Title),
                Summary = new TextSyndicationContent(Summary(item) + (stamp.Repeats ? " · repeats" : "")),
                PublishDate = stamp.CreatedAt,
                LastUpdatedTime = stamp.UpdatedAt,
            };
            entry.Links.Add(new SyndicationLink(new Uri(Link(item)), "alternate", item.Title, "application/json", 0));
            entry.Categories.Add(new SyndicationCategory(item.Type.ToString().ToLowerInvariant()));
            if (item.Kind is { } kind)
            {
                entry.Categories.Add(new SyndicationCategory(kind));
            }

            return entry;
        }).ToList();

        // As the calendar feeds do: the watermark moves on every save, so a removed entry still moves the date forward.
        var watermark = await db.FeedWatermarks.AsNoTracking().Where(w => w.Id == Domain.Events.FeedWatermark.SingletonId).Select(w => (DateTimeOffset?)w.ChangedAt).SingleOrDefaultAsync(cancellationToken);
        var updated = new[] { watermark ?? DateTimeOffset.UnixEpoch, organization.UpdatedAt }
            .Concat(stamps.Values.Select(s => s.UpdatedAt)).Max();

        var organizationUrl = links.Organization(organization.Slug);
        var feed = new SyndicationFeed(entries)
        {
            Id = $"tag:{domain},{TagDate}:organization/{organization.Id:D}/actions",
            Title = new TextSyndicationContent($"Organizer — {organization.Name}"),
            Description = new TextSyndicationContent($"What {organization.Name} has done and will do: actions in any role, statements, resolutions."),
            LastUpdatedTime = updated,
            Generator = "Organizer",
        };
        feed.Authors.Add(new SyndicationPerson { Name = organization.Name, Uri = organization.Website ?? organizationUrl });
        var feeds = links.OrganizationFeeds(organization.Slug);
        feed.Links.Add(new SyndicationLink(new Uri(feeds.Atom), "self", null, "application/atom+xml", 0));
        feed.Links.Add(new SyndicationLink(new Uri(links.OrganizationActions(organization.Slug)), "alternate", null, "application/json", 0));
        feed.Links.Add(new SyndicationLink(new Uri(feeds.Https), "related", "Calendar", "text/calendar", 0));

        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            feed.SaveAsAtom10(writer);
        }

        return RenderedFeed.Of(stream.ToArray(), updated, $"{organization.Slug}.atom", [FeedTags.Organization(organization.Id)]);
    }

    /// <summary>Each item's permanent id and audit times, which the timeline does not carry.</summary>
    private async Task<Dictionary<(TimelineItemType, string), Stamp>> StampsAsync(List<TimelineItemDto> items, CancellationToken cancellationToken)
    {
        var eventSlugs = items.Where(i => i.Type == TimelineItemType.Event).Select(i => i.Slug).ToList();
        var statementSlugs = items.Where(i => i.Type == TimelineItemType.Statement).Select(i => i.Slug).ToList();
        var assemblySlugs = items.Where(i => i.Type == TimelineItemType.Resolution).Select(i => i.Event!).Distinct().ToList();

        var stamps = new Dictionary<(TimelineItemType, string), Stamp>();
        foreach (var e in await db.Events.AsNoTracking().Where(e => eventSlugs.Contains(e.Slug))
                     .Select(e => new { e.Slug, e.Id, e.CreatedAt, e.UpdatedAt, Repeats = e.Recurrence != null }).ToListAsync(cancellationToken))
        {
            stamps[(TimelineItemType.Event, e.Slug)] = new Stamp(e.Id, e.CreatedAt, e.UpdatedAt, e.Repeats);
        }

        foreach (var s in await db.Statements.AsNoTracking().Where(s => statementSlugs.Contains(s.Slug))
                     .Select(s => new { s.Slug, s.Id, s.CreatedAt, s.UpdatedAt }).ToListAsync(cancellationToken))
        {
            stamps[(TimelineItemType.Statement, s.Slug)] = new Stamp(s.Id, s.CreatedAt, s.UpdatedAt);
        }

        foreach (var r in await db.Resolutions.AsNoTracking().Where(r => assemblySlugs.Contains(r.Event!.Slug))
                     .Select(r => new { r.Event!.Slug, r.Ordinal, r.Id, r.CreatedAt, r.UpdatedAt }).ToListAsync(cancellationToken))
        {
            // The timeline names a resolution "{assembly}#{ordinal}".
            stamps[(TimelineItemType.Resolution, $"{r.Slug}#{r.Ordinal.ToString(CultureInfo.InvariantCulture)}")] = new Stamp(r.Id, r.CreatedAt, r.UpdatedAt);
        }

        return stamps;
    }

    private string Link(TimelineItemDto item) => item.Type switch
    {
        TimelineItemType.Statement => links.Statement(item.Slug),
        TimelineItemType.Resolution => links.Event(item.Event!),
        _ when item.Occurrence is { } day => $"{links.Event(item.Slug)}/occurrences/{day}",
        _ => links.Event(item.Slug),
    };

    /// <summary>What a reader scans for: "Rally · host · 2020-10-18 · Matt Cohen Park, Toronto".</summary>
    private static string Summary(TimelineItemDto item)
    {
        var what = item.Type switch
        {
            TimelineItemType.Statement => "Statement",
            TimelineItemType.Resolution => $"Resolution ({Words(item.Kind ?? "event")})",
            _ => Capitalized(Words(item.Kind ?? "event")),
        };
        var parts = new List<string> { what, item.Role, When(item) };
        if (item.Place is { } place)
        {
            parts.Add(place.City is { } city && city != place.Name ? $"{place.Name}, {city}" : place.Name);
        }

        return string.Join(" · ", parts);
    }

    private static string When(TimelineItemDto item)
    {
        if (item.Start is null || item.AllDay is not false)
        {
            return item.End is { } end && end != item.Start && item.Start is not null ? $"{item.Start} to {end}" : item.Start ?? item.Date;
        }

        var start = DateTimeOffset.Parse(item.Start, CultureInfo.InvariantCulture);
        return start.ToString("yyyy-MM-dd HH:mm 'UTC'zzz", CultureInfo.InvariantCulture);
    }

    private static string Words(string kebab) => kebab.Replace('-', ' ');

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <param name="Repeats">The event is a series: its entry says so, beside the occurrence it stands at.</param>
    private sealed record Stamp(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Repeats = false);
}
