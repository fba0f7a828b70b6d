using System.Security.Cryptography;
using System.Buffers;
using NodaTime;
using Organizer.Application.Common;
using Organizer.Application.Common.Models;
using Organizer.Application.Feeds.Ics;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.Application.Feeds;

/// <summary>A feed's pieces, in order, and a digest that changes whenever their bytes do.</summary>
public sealed record ComposedFeed(List<ReadOnlyMemory<byte>> Content, byte[] Digest);

/// <summary>What a feed says about itself.</summary>
public sealed record FeedHeader(string Name, string Description);

/// <summary>One event as a feed shows it, with everything its VEVENT needs already loaded.</summary>
/// <param name="StatusReason">Why it was cancelled or postponed, as the organizers put it.</param>
/// <param name="ParentTitle">The assembly's title, for one of its sessions.</param>
public sealed record FeedEvent(
    Guid Id,
    string Slug,
    string Title,
    EventKind Kind,
    EventStatus Status,
    EventSchedule Schedule,
    string? DateNote,
    Guid? ParentId,
    string? Description,
    string? PlaceName,
    string? PlaceAddress,
    string? PlaceCity,
    string? PlaceRegion,
    string? PlaceCountryCode,
    double? Latitude,
    double? Longitude,
    string? OnlineUrl,
    IReadOnlyList<(string Name, ParticipationRole Role)> Organizations,
    IReadOnlyList<(string Name, string? Role, string? Affiliation)> Speakers,
    Attendance? Attendance,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Demands,
    IReadOnlyList<SourceDto> Sources,
    int Sequence,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? StatusReason = null,
    string? ParentTitle = null,
    FeedSeries? Series = null);

/// <summary>
/// What a series' VEVENT adds to its first occurrence (the event's own <see cref="FeedEvent.Schedule"/>): the rule,
/// the removed dates and the changed occurrences.
/// </summary>
/// <param name="LastDate">The last local date the series reaches; null when it never ends.</param>
/// <param name="Removed">The rule's wall-clock start on each removed date (an EXDATE each).</param>
/// <param name="Changed">Each occurrence written as a VEVENT of its own, by the rule's wall-clock start on its date (its
/// RECURRENCE-ID), in date order: the changed ones, with their own time, title, place, status and sequence, and the
/// unchanged ones that clients misread from the rule (<see cref="MisreadOccurrences"/>), as the series shows them.</param>
public sealed record FeedSeries(
    Recurrence Rule,
    DateOnly? LastDate,
    IReadOnlyList<LocalDateTime> Removed,
    IReadOnlyList<ChangedOccurrence> Changed);

/// <summary>One changed occurrence of a series: its RECURRENCE-ID, what its VEVENT shows, and its own address (the series' without one).</summary>
public sealed record ChangedOccurrence(LocalDateTime RuleStart, FeedEvent Occurrence, string? Url = null);

/// <summary>
/// A zone that timed events use, and the span of instants its VTIMEZONE must cover; <paramref name="Open"/> when a
/// series without an end uses it, so it must cover every year after too.
/// </summary>
public readonly record struct ZoneUse(string ZoneId, DateTimeOffset Earliest, DateTimeOffset Latest, bool Open = false);

/// <summary>
/// Writes iCalendar (RFC 5545 + RFC 7986) as UTF-8, streaming, shaped for what real clients need: no METHOD and no
/// ORGANIZER (a published snapshot, not an invitation), a VTIMEZONE from the same tz database as the stored instants
/// for every TZID, exclusive DTEND for all-day events, stable UIDs, and DTSTAMP/LAST-MODIFIED at the event's last change.
/// A feed is <see cref="WriteHeader"/>, <see cref="WriteTimeZones"/>, one <see cref="WriteEvent"/> per event, then
/// <see cref="WriteFooter"/>.
/// </summary>
public static class CalendarWriter
{
    public const string ProductId = "-//Organizer//Organizer Calendar Feeds 1.0//EN";

    public static string Uid(Guid id, string uidDomain) => $"{id:D}@{uidDomain}";

    /// <summary>
    /// A whole feed in one array, for tests and tools; the feed routes serve <see cref="Compose"/>'s pieces as they are.
    /// An event that cannot be written (a zone the tz database does not know) is left out and reported to
    /// <paramref name="onFailure"/>, and the rest of the feed is still written.
    /// </summary>
    /// <param name="eventUrl">An event's address, from its slug.</param>
    public static byte[] Write(
        FeedHeader header, IReadOnlyList<FeedEvent> events, Func<string, string> eventUrl, string uidDomain, Action<FeedEvent, Exception>? onFailure = null)
    {
        var scratch = new ArrayBufferWriter<byte>(4096);
        var fragments = new List<EventFragment>(events.Count);
        foreach (var e in events)
        {
            if (Fragment(e, eventUrl(e.Slug), uidDomain, scratch, onFailure) is { } fragment)
            {
                fragments.Add(fragment);
            }
        }

        var pieces = Compose(header, fragments).Content;
        var feed = new byte[pieces.Sum(p => p.Length)];
        var at = 0;
        foreach (var piece in pieces)
        {
            piece.Span.CopyTo(feed.AsSpan(at));
            at += piece.Length;
        }

        return feed;
    }

    /// <summary>
    /// One event's VEVENT as a piece of its own, which feeds can share, or null when the event cannot be written:
    /// one bad event must not take a whole feed down with it.
    /// </summary>
    /// <param name="scratch">A buffer to write in; what an event that fails left in it is discarded.</param>
    public static EventFragment? Fragment(FeedEvent e, string url, string uidDomain, ArrayBufferWriter<byte> scratch, Action<FeedEvent, Exception>? onFailure)
    {
        scratch.ResetWrittenCount();
        try
        {
            WriteEvent(scratch, e, url, uidDomain);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            onFailure?.Invoke(e, exception);
            return null;
        }

        return new EventFragment(scratch.WrittenSpan.ToArray(), ZoneOf(e), SHA256.HashData(scratch.WrittenSpan));
    }

    /// <summary>
    /// A feed around its events' pieces: the header and the VTIMEZONEs they need first, the footer last. Its digest is
    /// taken over each piece's own digest, so a feed composed again from kept event text is not hashed byte by byte.
    /// </summary>
    public static ComposedFeed Compose(FeedHeader header, IReadOnlyCollection<EventFragment> events)
    {
        var head = new ArrayBufferWriter<byte>(2048);
        WriteHeader(head, header);
        WriteTimeZones(head, events.Where(f => f.Zone is not null).Select(f => f.Zone!.Value));
        var foot = new ArrayBufferWriter<byte>(16);
        WriteFooter(foot);

        var pieces = new List<ReadOnlyMemory<byte>>(events.Count + 2) { head.WrittenMemory };
        pieces.AddRange(events.Select(f => (ReadOnlyMemory<byte>)f.Text));
        pieces.Add(foot.WrittenMemory);

        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        digest.AppendData(SHA256.HashData(head.WrittenSpan));
        foreach (var e in events)
        {
            digest.AppendData(e.Digest);
        }

        digest.AppendData(SHA256.HashData(foot.WrittenSpan));
        return new ComposedFeed(pieces, digest.GetHashAndReset());
    }

    public static void WriteHeader(IBufferWriter<byte> output, FeedHeader header)
    {
        var w = new ContentLineWriter(output);
        w.RawLine("BEGIN", "VCALENDAR");
        w.RawLine("VERSION", "2.0");
        w.TextLine("PRODID", ProductId);
        w.RawLine("CALSCALE", "GREGORIAN");
        w.TextLine("NAME", header.Name);
        w.TextLine("X-WR-CALNAME", header.Name);
        w.TextLine("DESCRIPTION", header.Description);
        w.TextLine("X-WR-CALDESC", header.Description);

        // RFC 7986's hint is what Apple reads; Outlook reads the X- one. Google ignores both.
        w.Start("REFRESH-INTERVAL");
        w.Parameter("VALUE", "DURATION");
        w.Colon();
        w.Raw("PT1H");
        w.End();
        w.RawLine("X-PUBLISHED-TTL", "PT1H");
    }

    /// <summary>One VTIMEZONE per zone, covering every use of it, in ordinal order of zone id.</summary>
    public static void WriteTimeZones(IBufferWriter<byte> output, IEnumerable<ZoneUse> zones)
    {
        var spans = new SortedDictionary<string, (DateTimeOffset Earliest, DateTimeOffset Latest, bool Open)>(StringComparer.Ordinal);
        foreach (var use in zones)
        {
            spans[use.ZoneId] = spans.TryGetValue(use.ZoneId, out var span)
                ? (Min(span.Earliest, use.Earliest), Max(span.Latest, use.Latest), span.Open || use.Open)
                : (use.Earliest, use.Latest, use.Open);
        }

        foreach (var (zone, span) in spans)
        {
            output.Write(TimeZoneBlocks.For(zone, span.Earliest, span.Latest, span.Open));
        }
    }

    /// <summary>
    /// The zone, and the instants, a timed event's DTSTART/DTEND refer to; null for an all-day event. A series' reach
    /// from its first occurrence to its last date, and its changed occurrences wherever they moved.
    /// </summary>
    public static ZoneUse? ZoneOf(FeedEvent e)
    {
        if (e.Schedule.AllDay || e.Schedule.StartsAt is not { } start)
        {
            return null;
        }

        var (earliest, latest) = (start, e.Schedule.EndsAt ?? start);
        if (e.Series is not { } series)
        {
            return new ZoneUse(e.Schedule.TimeZone, earliest, latest);
        }

        if (series.LastDate is { } last)
        {
            // A day beyond the last date's end in any zone, as UTC: only whole years matter to the VTIMEZONE.
            latest = Max(latest, new DateTimeOffset(last.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }

        foreach (var changed in series.Changed)
        {
            if (changed.Occurrence.Schedule.StartsAt is { } moved)
            {
                earliest = Min(earliest, moved);
                latest = Max(latest, changed.Occurrence.Schedule.EndsAt ?? moved);
            }
        }

        return new ZoneUse(e.Schedule.TimeZone, earliest, latest, series.LastDate is null);
    }

    /// <summary>One VEVENT.</summary>
    /// <exception cref="DomainRuleException">The event's zone is not in the tz database. Part of the event may have been
    /// written by then: the caller discards what this call wrote.</exception>
    public static void WriteEvent(IBufferWriter<byte> output, FeedEvent e, string url, string uidDomain)
    {
        WriteVEvent(output, e, url, uidDomain, null);

        // RFC 5545 §3.8.4.4: a changed occurrence is a VEVENT of its own with the series' UID and a RECURRENCE-ID.
        foreach (var changed in e.Series?.Changed ?? [])
        {
            WriteVEvent(output, changed.Occurrence, changed.Url ?? url, uidDomain, (changed.RuleStart, e.Schedule));
        }
    }

    /// <param name="occurrenceOf">For a changed occurrence, the rule's start on its date, and the series' first occurrence,
    /// whose value type and TZID its RECURRENCE-ID takes.</param>
    private static void WriteVEvent(IBufferWriter<byte> output, FeedEvent e, string url, string uidDomain, (LocalDateTime RuleStart, EventSchedule First)? occurrenceOf)
    {
        var w = new ContentLineWriter(output);
        w.RawLine("BEGIN", "VEVENT");
        w.Start("UID");
        w.Colon();
        w.Raw(e.Id, "D");
        w.Raw("@");
        w.Text(uidDomain);
        w.End();
        Utc(ref w, "DTSTAMP", e.UpdatedAt);
        Utc(ref w, "CREATED", e.CreatedAt);
        Utc(ref w, "LAST-MODIFIED", e.UpdatedAt);
        w.Start("SEQUENCE");
        w.Colon();
        w.Raw(e.Sequence);
        w.End();
        w.RawLine("STATUS", e.Status switch
        {
            EventStatus.Cancelled => "CANCELLED",
            EventStatus.Scheduled => "CONFIRMED",
            _ => "TENTATIVE",
        });

        // An assembly's sessions are often named alike ("Panel", "Workshop"); the assembly's name tells them apart.
        w.Start("SUMMARY");
        w.Colon();
        w.Text(e.Title);
        if (!string.IsNullOrWhiteSpace(e.ParentTitle))
        {
            w.Text(" — ");
            w.Text(e.ParentTitle);
        }

        w.End();
        w.Start("DESCRIPTION");
        w.Colon();
        Describe(ref w, e, url);
        w.End();
        w.RawLine("URL", url);

        if (occurrenceOf is var (ruleStart, first))
        {
            RuleTime(ref w, "RECURRENCE-ID", RecurrenceId(ruleStart, first), first);
            Dates(ref w, e);
        }
        else if (e.Series is { } series)
        {
            SeriesDates(ref w, e, series);
        }
        else
        {
            Dates(ref w, e);
        }

        if (e.PlaceName is not null || e.OnlineUrl is not null)
        {
            w.Start("LOCATION");
            w.Colon();
            Location(ref w, e);
            w.End();
        }

        if (e.Latitude is { } lat && e.Longitude is { } lon)
        {
            w.Start("GEO");
            w.Colon();
            w.Raw(lat, "0.######");
            w.Raw(";");
            w.Raw(lon, "0.######");
            w.End();
        }

        // CATEGORIES is a list: the commas between values are the separators, so a comma inside a tag is escaped.
        w.Start("CATEGORIES");
        w.Colon();
        w.Text(e.Kind.ToKebab());
        foreach (var tag in e.Tags)
        {
            w.Raw(",");
            w.Text(tag);
        }

        w.End();

        // Organizers are named in CONTACT and DESCRIPTION, never as ORGANIZER: that makes Outlook offer accept/decline.
        foreach (var (name, role) in e.Organizations.Where(o => o.Role is ParticipationRole.Host or ParticipationRole.CoOrganizer).OrderBy(o => o.Role).ThenBy(o => o.Name, StringComparer.Ordinal))
        {
            w.Start("CONTACT");
            w.Colon();
            w.Text(name);
            w.Text(" (");
            w.Text(role.ToKebab());
            w.Text(")");
            w.End();
        }

        if (e.ParentId is { } parent)
        {
            w.Start("RELATED-TO");
            w.Colon();
            w.Raw(parent, "D");
            w.Raw("@");
            w.Text(uidDomain);
            w.End();
        }

        w.RawLine("END", "VEVENT");
    }

    public static void WriteFooter(IBufferWriter<byte> output) => new ContentLineWriter(output).RawLine("END", "VCALENDAR");

    private static void Dates(ref ContentLineWriter w, FeedEvent e)
    {
        var schedule = e.Schedule;
        if (schedule.AllDay)
        {
            // A date known only to the week, month or year is shown on its first known day, marked free, with the
            // precision stated in DESCRIPTION: a block over the whole month would read as a month-long event.
            var vague = schedule.Precision is DatePrecision.Week or DatePrecision.Month or DatePrecision.Year;
            AllDayDates(ref w, schedule.StartDate, vague ? schedule.StartDate : schedule.EndDate);
            if (vague)
            {
                w.RawLine("TRANSP", "TRANSPARENT");
            }

            return;
        }

        var zone = EventSchedule.FindZone(schedule.TimeZone);
        Local(ref w, "DTSTART", schedule.StartsAt!.Value, zone, schedule.TimeZone);
        if (schedule.EndsAt is { } end)
        {
            Local(ref w, "DTEND", end, zone, schedule.TimeZone);
        }
    }

    private static void AllDayDates(ref ContentLineWriter w, DateOnly first, DateOnly last)
    {
        w.Start("DTSTART");
        w.Parameter("VALUE", "DATE");
        w.Colon();
        w.DateValue(first);
        w.End();

        // RFC 5545 §3.6.1: an all-day DTEND is exclusive — the day after the last day.
        w.Start("DTEND");
        w.Parameter("VALUE", "DATE");
        w.Colon();
        w.DateValue(last.AddDays(1));
        w.End();
    }

    /// <summary>
    /// A series' first occurrence, always as a TZID time (or a DATE): a client expands the RRULE on DTSTART's own
    /// wall-clock time, so a UTC DTSTART would move every occurrence by an hour at each change of offset. Then the rule,
    /// and its removed dates as EXDATEs of DTSTART's value type and zone.
    /// </summary>
    private static void SeriesDates(ref ContentLineWriter w, FeedEvent e, FeedSeries series)
    {
        var schedule = e.Schedule;
        if (schedule.AllDay)
        {
            AllDayDates(ref w, schedule.StartDate, schedule.EndDate);
        }
        else
        {
            // RFC 5545 §3.8.5.3: each occurrence lasts the exact duration from DTSTART to DTEND, which is how the
            // series' occurrences are placed (its first occurrence's length, in elapsed time).
            var zone = EventSchedule.FindZone(schedule.TimeZone);
            RuleTime(ref w, "DTSTART", Instant.FromDateTimeOffset(schedule.StartsAt!.Value).InZone(zone).LocalDateTime, schedule);
            if (schedule.EndsAt is { } end)
            {
                Local(ref w, "DTEND", end, zone, schedule.TimeZone);
            }
        }

        w.RawLine("RRULE", series.Rule.ToRRule(schedule));
        foreach (var removed in series.Removed)
        {
            RuleTime(ref w, "EXDATE", removed, schedule);
        }

        if (schedule.AllDay)
        {
            return;
        }

        // An occurrence whose rule time the clocks skip: ical.js reads that time with the offset after the change (an
        // hour early on Toronto's spring day), the others as RFC 5545 does (the gap's length later). An EXDATE at
        // ical.js's instant removes its reading and names no occurrence for the others; an RDATE at the time the
        // occurrence really starts, which exists once, puts it back in ical.js and is the same occurrence for the others
        // (RFC 5545 §3.8.5.2: duplicates count once). Its RECURRENCE-ID is then that time too (see WriteEvent).
        var seriesZone = EventSchedule.FindZone(schedule.TimeZone);
        var skipped = series.Changed.Where(c => seriesZone.MapLocal(c.RuleStart).Count == 0).ToList();
        foreach (var changed in skipped)
        {
            Utc(ref w, "EXDATE", changed.RuleStart.WithOffset(seriesZone.MapLocal(changed.RuleStart).LateInterval.WallOffset).ToDateTimeOffset());
        }

        foreach (var changed in skipped)
        {
            RuleTime(ref w, "RDATE", RecurrenceId(changed.RuleStart, schedule), schedule);
        }
    }

    /// <summary>
    /// An occurrence's RECURRENCE-ID: the rule's wall-clock start on its date, or for one the clocks skip, the time it
    /// really starts (its RDATE, written by <see cref="SeriesDates"/>).
    /// </summary>
    private static LocalDateTime RecurrenceId(LocalDateTime ruleStart, EventSchedule first)
    {
        if (first.AllDay)
        {
            return ruleStart;
        }

        var zone = EventSchedule.FindZone(first.TimeZone);
        return zone.MapLocal(ruleStart).Count == 0 ? ruleStart.InZoneLeniently(zone).LocalDateTime : ruleStart;
    }

    /// <summary>A time the rule gives (DTSTART, EXDATE, RECURRENCE-ID): a DATE for an all-day series, else a TZID time.</summary>
    private static void RuleTime(ref ContentLineWriter w, string name, LocalDateTime ruleStart, EventSchedule first)
    {
        w.Start(name);
        if (first.AllDay)
        {
            w.Parameter("VALUE", "DATE");
            w.Colon();
            w.DateValue(DateOnly.FromDateTime(ruleStart.ToDateTimeUnspecified()));
        }
        else
        {
            w.Parameter("TZID", first.TimeZone);
            w.Colon();
            w.DateTimeValue(ruleStart);
        }

        w.End();
    }

    private static void Local(ref ContentLineWriter w, string name, DateTimeOffset instant, DateTimeZone zone, string zoneId)
    {
        var zoned = Instant.FromDateTimeOffset(instant).InZone(zone);
        var local = zoned.LocalDateTime;

        // Two kinds of wall time are written as the UTC instant, which no parser can misread:
        // - one the clocks show twice (when they fall back): RFC 5545 §3.3.5 reads it as the first, but parsers disagree;
        // - one in an offset with seconds (local mean times, before about 1920): ical.js drops the seconds of TZOFFSETTO.
        if (zone.MapLocal(local).Count > 1 || zoned.Offset.Seconds % 60 != 0)
        {
            Utc(ref w, name, instant);
            return;
        }

        w.Start(name);
        w.Parameter("TZID", zoneId);
        w.Colon();
        w.DateTimeValue(local);
        w.End();
    }

    private static void Utc(ref ContentLineWriter w, string name, DateTimeOffset instant)
    {
        w.Start(name);
        w.Colon();
        w.UtcValue(instant);
        w.End();
    }

    private static void Location(ref ContentLineWriter w, FeedEvent e)
    {
        if (e.PlaceName is null)
        {
            w.Text(e.OnlineUrl);
            return;
        }

        w.Text(e.PlaceName);
        ReadOnlySpan<string?> parts = [e.PlaceName, e.PlaceAddress, e.PlaceCity, e.PlaceRegion, e.PlaceCountryCode];
        for (var i = 1; i < parts.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(parts[i]) && !Repeats(parts, i))
            {
                w.Text(", ");
                w.Text(parts[i]);
            }
        }

        // "Toronto, Toronto" says nothing twice: a part equal to an earlier one is left out.
        static bool Repeats(ReadOnlySpan<string?> parts, int index)
        {
            for (var j = 0; j < index; j++)
            {
                if (string.Equals(parts[j], parts[index], StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static void Describe(ref ContentLineWriter w, FeedEvent e, string url)
    {
        // What changed about the event comes first: clients that strike a cancelled event through still show its text.
        var lead = false;
        if (e.Status is EventStatus.Cancelled or EventStatus.Postponed)
        {
            w.Text(e.Status == EventStatus.Cancelled ? "Cancelled" : "Postponed, new date to be announced");
            if (!string.IsNullOrWhiteSpace(e.StatusReason))
            {
                w.Text(": ");
                w.Text(e.StatusReason.AsSpan().Trim());
            }
            else
            {
                w.Text(".");
            }

            w.Text("\n");
            lead = true;
        }

        if (!string.IsNullOrWhiteSpace(e.ParentTitle))
        {
            w.Text("Part of: ");
            w.Text(e.ParentTitle);
            w.Text("\n");
            lead = true;
        }

        if (lead)
        {
            w.Text("\n");
        }

        if (!string.IsNullOrWhiteSpace(e.Description))
        {
            w.Text(e.Description.AsSpan().Trim());
            w.Text("\n\n");
        }

        if (e.Organizations.Count > 0)
        {
            w.Text("Organizations: ");
            var first = true;
            foreach (var (name, role) in e.Organizations.OrderBy(o => o.Role).ThenBy(o => o.Name, StringComparer.Ordinal))
            {
                w.Text(first ? "" : "; ");
                w.Text(name);
                w.Text(" (");
                w.Text(role.ToKebab());
                w.Text(")");
                first = false;
            }

            w.Text("\n");
        }

        if (e.Speakers.Count > 0)
        {
            w.Text("Speakers: ");
            for (var i = 0; i < e.Speakers.Count; i++)
            {
                w.Text(i == 0 ? "" : "; ");
                var (name, role, affiliation) = e.Speakers[i];
                Joined(ref w, [name, role, affiliation]);
            }

            w.Text("\n");
        }

        if (e.Demands.Count > 0)
        {
            w.Text("Demands:\n");
            foreach (var demand in e.Demands)
            {
                w.Text("- ");
                w.Text(demand);
                w.Text("\n");
            }
        }

        if (e.Attendance is { } attendance)
        {
            w.Text("Attendance (as reported): ");
            w.Text(attendance.Reported);
            w.Text("\n");
        }

        if (e.Schedule.Precision is DatePrecision.Week or DatePrecision.Month or DatePrecision.Year)
        {
            w.Text("Date known only to the ");
            w.Text(e.Schedule.Precision.ToKebab());
            w.Text(": shown on its first possible day, ");
            w.Raw(e.Schedule.StartDate, "yyyy-MM-dd");
            w.Text("; it may be any day up to ");
            w.Raw(e.Schedule.EndDate, "yyyy-MM-dd");
            w.Text(".\n");
        }

        if (!string.IsNullOrWhiteSpace(e.DateNote))
        {
            w.Text("About the date: ");
            w.Text(e.DateNote);
            w.Text("\n");
        }

        if (e.Sources.Count > 0)
        {
            w.Text("Sources:\n");
            foreach (var source in e.Sources)
            {
                w.Text("- \"");
                w.Text(source.Quote);
                w.Text("\" (");
                w.Text(source.Title ?? source.Document);
                foreach (var part in (ReadOnlySpan<string?>)[source.Publication, source.Author])
                {
                    if (!string.IsNullOrWhiteSpace(part))
                    {
                        w.Text(", ");
                        w.Text(part);
                    }
                }

                if (source.PublishedOn is { } published)
                {
                    w.Text(", ");
                    w.Raw(published, "yyyy-MM-dd");
                }

                w.Text(")\n");
            }
        }

        w.Text("\n");
        w.Text(url);
    }

    /// <summary>The parts that are not blank, joined with ", ".</summary>
    private static void Joined(ref ContentLineWriter w, scoped ReadOnlySpan<string?> parts)
    {
        var first = true;
        foreach (var part in parts)
        {
            if (string.IsNullOrWhiteSpace(part))
            {
                continue;
            }

            w.Text(first ? "" : ", ");
            w.Text(part);
            first = false;
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
