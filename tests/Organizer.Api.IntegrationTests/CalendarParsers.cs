using System.Text;
using System.Text.Json.Nodes;
using Organizer.Application.Common.Models;
using Organizer.Application.Feeds;
using Organizer.Domain.Events;
using IcalNetCalendar = Ical.Net.Calendar;
using IcalNetDateTime = Ical.Net.DataTypes.CalDateTime;

namespace Organizer.Api.IntegrationTests;

/// <summary>One VEVENT as a parser read it. Start/End are "yyyy-MM-dd" for dates and "yyyy-MM-ddTHH:mm:ssZ" for instants.</summary>
internal sealed record ParsedEvent(string? Uid, string? Summary, string? Description, string? Location, string? Start, string? End, IReadOnlyList<string> Categories);

/// <summary>A whole feed as one parser read it, or why that parser refused it.</summary>
internal sealed record ParsedFeed(string Parser, IReadOnlyList<ParsedEvent> Events, IReadOnlyList<string> Timezones, IReadOnlyList<string> Errors, string? Rejection)
{
    public static ParsedFeed Rejected(string parser, string why) => new(parser, [], [], [], why);
}

/// <summary>
/// One occurrence of an event as a parser expanded it from a feed. <see cref="RecurrenceId"/> is the date the rule
/// gives it (its RECURRENCE-ID's local date, kept when it moves); Start/End as in <see cref="ParsedEvent"/>.
/// </summary>
internal sealed record ExpandedOccurrence(string Uid, string RecurrenceId, string Start, string? End, string? Status, string? Summary);

/// <summary>A feed's occurrences as one parser expanded them, or why that parser refused it.</summary>
internal sealed record ExpandedFeed(string Parser, IReadOnlyList<ExpandedOccurrence> Occurrences, string? Rejection)
{
    /// <summary>How long the parser took, process start included.</summary>
    public TimeSpan Took { get; init; }
}

/// <summary>
/// The independent parsers a feed must satisfy. Each reads the feed bytes on its own terms:
/// ical.js and libical compute instants from the feed's own VTIMEZONEs; Ical.Net and python-icalendar
/// resolve a TZID by name (NodaTime and pytz), so for them the local time + TZID is what is checked.
/// </summary>
internal static class CalendarParsers
{
    public const string IcalJsName = "ical.js";
    public const string IcalNetName = "Ical.Net";
    public const string LibicalName = "libical";

    /// <summary>Named apart because it checks pytz's tzdb by TZID, not the feed's VTIMEZONE.</summary>
    public const string PythonIcalendarName = "python-icalendar (pytz by TZID)";

    public static readonly IReadOnlyList<string> All = [IcalJsName, IcalNetName, LibicalName, PythonIcalendarName];

    /// <summary>python's recurring-ical-events 2.0.1 (Debian's package), on python-icalendar: pytz by TZID.</summary>
    public const string RecurringIcalEventsName = "recurring-ical-events (pytz by TZID)";

    /// <summary>The parsers that expand recurrences: each with its own rule engine and its own reading of times.</summary>
    public static readonly IReadOnlyList<string> Expanding = [IcalJsName, IcalNetName, LibicalName, RecurringIcalEventsName];

    /// <summary>
    /// Every parser's expansion of the feed's events, for the occurrences whose rule time (RECURRENCE-ID) falls in
    /// [<paramref name="from"/>, <paramref name="to"/>] (recurring-ical-events: whose own time overlaps it): callers
    /// give a margin and narrow the result themselves, since a changed occurrence may have moved.
    /// </summary>
    public static async Task<IReadOnlyList<ExpandedFeed>> ExpandWithAllAsync(byte[] feed, DateTimeOffset from, DateTimeOffset to)
    {
        var file = Path.Combine(Path.GetTempPath(), $"organizer-feed-{Guid.NewGuid():N}.ics");
        await File.WriteAllBytesAsync(file, feed);
        var window = new[] { Utc(from), Utc(to) };
        try
        {
            await IcalJs.EnsureInstalledAsync();
            var icalJs = ExpandAsync(IcalJsName, "node", [Path.Combine(IcalJs.Folder, "parse-ical.mjs"), file, "--expand", .. window]);
            var libical = ExpandAsync(LibicalName, SystemPython, [Path.Combine(IcalJs.Folder, "parse-ical.py"), "--parser", "libical", "--expand", .. window, file]);
            var recurring = ExpandAsync(RecurringIcalEventsName, SystemPython, [Path.Combine(IcalJs.Folder, "parse-ical.py"), "--parser", "recurring", "--expand", .. window, file]);
            var icalNet = IcalNetExpand(feed, from, to);
            return [await icalJs, icalNet, await libical, await recurring];
        }
        finally
        {
            File.Delete(file);
        }

        static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<ExpandedFeed> ExpandAsync(string parser, string program, IEnumerable<string> args)
    {
        if (program == SystemPython && !File.Exists(SystemPython))
        {
            return new ExpandedFeed(parser, [], $"{SystemPython} is missing: apt-get install python3-recurring-ical-events gir1.2-ical-3.0 python3-gi");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (code, stdout, stderr) = await IcalJs.RunAsync(program, args);
        if (code != 0)
        {
            return new ExpandedFeed(parser, [], stderr.Trim());
        }

        var occurrences = JsonNode.Parse(stdout)!["occurrences"]!.AsArray().Select(o => new ExpandedOccurrence(
            (string)o!["uid"]!, (string)o["recurrenceId"]!, (string)o["start"]!, (string?)o["end"], (string?)o["status"], (string?)o["summary"])).ToList();
        return new ExpandedFeed(parser, occurrences, null) { Took = clock.Elapsed };
    }

    /// <summary>
    /// Ical.Net's own expansion of the calendar (Calendar.GetOccurrences), which relates RECURRENCE-ID VEVENTs to their
    /// series and applies EXDATE. It resolves TZIDs by name through NodaTime, so it checks the rule, not the VTIMEZONE.
    /// </summary>
    private static ExpandedFeed IcalNetExpand(byte[] feed, DateTimeOffset from, DateTimeOffset to)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var calendar = IcalNetCalendar.Load(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(feed)) ?? throw new InvalidOperationException("no VCALENDAR");
            var occurrences = new List<ExpandedOccurrence>();
            var start = new IcalNetDateTime(from.UtcDateTime, "UTC");
            foreach (var occurrence in calendar.GetOccurrences<Ical.Net.CalendarComponents.CalendarEvent>(start, null))
            {
                var period = occurrence.Period;
                if (period.StartTime.HasTime ? period.StartTime.AsUtc > to.UtcDateTime : period.StartTime.Value > to.UtcDateTime.AddDays(1))
                {
                    break;
                }

                var source = (Ical.Net.CalendarComponents.CalendarEvent)occurrence.Source;
                var rule = source.RecurrenceIdentifier?.StartTime ?? period.StartTime;
                occurrences.Add(new ExpandedOccurrence(
                    source.Uid ?? "", rule.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Format(period.StartTime)!, Format(period.EffectiveEndTime), source.Status, source.Summary));
            }

            return new ExpandedFeed(IcalNetName, occurrences, null) { Took = clock.Elapsed };
        }
        catch (Exception ex)
        {
            return new ExpandedFeed(IcalNetName, [], ex.ToString());
        }
    }

    /// <summary>
    /// pytz reads only the 32-bit part of tzdata and ignores its POSIX rule footer, so past 2037 it stops applying DST
    /// (and before 1902 it has nothing): outside those years python-icalendar misreads a TZID'd time whatever the feed says.
    /// It also reads the machine's tz data, not the feed's VTIMEZONE, so where that data disagrees with NodaTime's its
    /// reading says nothing about the feed.
    /// </summary>
    public static bool PytzReadsTimesOf(ExpectedEvent e) => e.FirstYear >= 1902 && e.LastYear <= 2037 && !e.SystemZoneDataDiffers;

    /// <summary>
    /// python-icalendar 4.0.3 unescapes an escaped backslash before n as backslash + newline (and mangles other
    /// backslash sequences), which no writer can avoid: its reading of text with a backslash is not checked.
    /// </summary>
    public static bool PythonReadsText(string text) => !text.Contains('\\');

    private const string SystemPython = "/usr/bin/python3";

    public static async Task<IReadOnlyList<ParsedFeed>> ParseWithAllAsync(byte[] feed)
    {
        var file = Path.Combine(Path.GetTempPath(), $"organizer-feed-{Guid.NewGuid():N}.ics");
        await File.WriteAllBytesAsync(file, feed);
        try
        {
            var icalJs = IcalJsAsync(file);
            var libical = PythonAsync(file, "libical", LibicalName);
            var python = PythonAsync(file, "icalendar", PythonIcalendarName);
            var icalNet = IcalNet(feed);
            return [await icalJs, icalNet, await libical, await python];
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<ParsedFeed> IcalJsAsync(string file)
    {
        await IcalJs.EnsureInstalledAsync();
        var (code, stdout, stderr) = await IcalJs.RunAsync("node", [Path.Combine(IcalJs.Folder, "parse-ical.mjs"), file]);
        return code == 0 ? FromJson(IcalJsName, stdout) : ParsedFeed.Rejected(IcalJsName, stderr.Trim());
    }

    private static async Task<ParsedFeed> PythonAsync(string file, string parser, string name)
    {
        if (!File.Exists(SystemPython))
        {
            return ParsedFeed.Rejected(name, $"{SystemPython} is missing: apt-get install python3-icalendar gir1.2-ical-3.0 python3-gi");
        }

        var (code, stdout, stderr) = await IcalJs.RunAsync(SystemPython, [Path.Combine(IcalJs.Folder, "parse-ical.py"), "--parser", parser, file]);
        return code == 0 ? FromJson(name, stdout) : ParsedFeed.Rejected(name, stderr.Trim());
    }

    private static ParsedFeed FromJson(string parser, string json)
    {
        var root = JsonNode.Parse(json)!;
        var events = root["events"]!.AsArray().Select(e => new ParsedEvent(
            (string?)e!["uid"], (string?)e["summary"], (string?)e["description"], (string?)e["location"],
            (string?)e["start"], (string?)e["end"],
            e["categories"]?.AsArray().Select(c => (string)c!).ToList() ?? [])).ToList();
        var timezones = root["timezones"]!.AsArray().Select(z => (string)z!).ToList();
        var errors = root["errors"]?.AsArray().Select(x => (string)x!).ToList() ?? [];
        return new ParsedFeed(parser, events, timezones, errors, null);
    }

    private static ParsedFeed IcalNet(byte[] feed)
    {
        try
        {
            // Strict decoding: bytes that are not UTF-8 are a broken feed, not something to paper over with U+FFFD.
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(feed);
            var calendar = IcalNetCalendar.Load(text) ?? throw new InvalidOperationException("no VCALENDAR");
            var events = calendar.Events.Select(e => new ParsedEvent(
                e.Uid, e.Summary, e.Description, e.Location, Format(e.DtStart), Format(e.DtEnd), e.Categories.ToList())).ToList();
            return new ParsedFeed(IcalNetName, events, calendar.TimeZones.Select(z => z.TzId ?? "").ToList(), [], null);
        }
        catch (Exception ex)
        {
            return ParsedFeed.Rejected(IcalNetName, ex.ToString());
        }
    }

    private static string? Format(IcalNetDateTime? t) =>
        t is null ? null
        : !t.HasTime ? t.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
        : t.IsFloating ? t.Value.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)
        : t.AsUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The one place the tests touch the feed writer and build its input, so that a change to either signature is a
/// one-line change here.
/// </summary>
internal static class FeedUnderTest
{
    public const string UidDomain = "feeds.organizer.test";

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static string Uid(Guid id) => CalendarWriter.Uid(id, UidDomain);

    public static byte[] Write(IReadOnlyList<FeedEvent> events) =>
        CalendarWriter.Write(new FeedHeader("Organizer — feed tests", "Generated events"), events, slug => $"https://organizer.test/events/{slug}", UidDomain);

    public static FeedEvent Event(Guid id, string title, EventSchedule schedule, string? description = null, string? placeName = null, IReadOnlyList<string>? tags = null) => new(
        id, $"event-{id:N}", title, EventKind.Rally, EventStatus.Scheduled, schedule,
        null, null, description, placeName, null, null, null, null, null, null, null,
        [], [], null, tags ?? [], [], Array.Empty<SourceDto>(), 1, Now.AddDays(-3), Now.AddDays(-1));
}

/// <summary>
/// What every parser must read back for one event. Start/End use ParsedEvent's formats; Local names the zone and
/// local time the event was built from, for failure messages.
/// </summary>
internal sealed record ExpectedEvent(
    Guid Id, string Local, string Start, string? End, string Summary, string? DescriptionPart, string? Location, IReadOnlyList<string> Tags, int FirstYear, int LastYear)
{
    /// <summary>RFC 5545 §3.6.1: a timed event without DTEND ends at DTSTART, so an absent DTEND and DTEND = DTSTART are equally right.</summary>
    public bool EndMayBeAbsent { get; init; }

    /// <summary>This machine's tz data disagrees with NodaTime's at the event's start or end (see <see cref="CalendarParsers.PytzReadsTimesOf"/>).</summary>
    public bool SystemZoneDataDiffers { get; init; }
}

internal static class FeedChecks
{
    /// <summary>The writer's documented cleaning: CRLF and CR become LF, control characters other than TAB and LF are dropped.</summary>
    public static string Clean(string text)
    {
        var lf = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return string.Concat(lf.Where(c => !char.IsControl(c) || c is '\n' or '\t'));
    }

    /// <summary>Every way each parser's reading differs from what was put in; empty when the feed is right.</summary>
    public static List<string> Compare(IReadOnlyList<ExpectedEvent> expected, IReadOnlyList<ParsedFeed> feeds)
    {
        var failures = new List<string>();
        foreach (var feed in feeds)
        {
            if (feed.Rejection is not null)
            {
                failures.Add($"{feed.Parser}: rejected the feed: {Shorten(feed.Rejection, 400)}");
                continue;
            }

            failures.AddRange(feed.Errors.Select(e => $"{feed.Parser}: reported {e}"));
            var byUid = feed.Events.Where(e => e.Uid is not null).GroupBy(e => e.Uid!).ToDictionary(g => g.Key, g => g.First());
            foreach (var want in expected)
            {
                var uid = FeedUnderTest.Uid(want.Id);
                if (!byUid.TryGetValue(uid, out var got))
                {
                    failures.Add($"{feed.Parser}: {want.Local}: no VEVENT with UID {uid}");
                    continue;
                }

                if (feed.Parser != CalendarParsers.PythonIcalendarName || CalendarParsers.PytzReadsTimesOf(want))
                {
                    if (got.Start != want.Start)
                    {
                        failures.Add($"{feed.Parser}: {want.Local}: DTSTART expected {want.Start}, read {got.Start ?? "(none)"}");
                    }

                    if (got.End != want.End && !(want.EndMayBeAbsent && (got.End is null || got.End == want.Start)))
                    {
                        failures.Add($"{feed.Parser}: {want.Local}: DTEND expected {want.End ?? "(none)"}, read {got.End ?? "(none)"}");
                    }
                }

                var textChecked = feed.Parser != CalendarParsers.PythonIcalendarName || CalendarParsers.PythonReadsText(want.Summary + want.DescriptionPart + want.Location);
                var summary = AsRead(feed.Parser, want.Summary);
                if (textChecked && got.Summary != summary)
                {
                    failures.Add($"{feed.Parser}: {want.Local}: SUMMARY {Diff(summary, got.Summary)}");
                }

                if (textChecked && want.DescriptionPart is { Length: > 0 } part && got.Description?.Contains(part, StringComparison.Ordinal) != true)
                {
                    failures.Add($"{feed.Parser}: {want.Local}: DESCRIPTION does not contain the description: {Diff(part, got.Description)}");
                }

                if (textChecked && want.Location is not null && got.Location != AsRead(feed.Parser, want.Location))
                {
                    failures.Add($"{feed.Parser}: {want.Local}: LOCATION {Diff(AsRead(feed.Parser, want.Location), got.Location)}");
                }

                // Only ical.js and Ical.Net report CATEGORIES; the Python harness leaves the list empty.
                if (feed.Parser is CalendarParsers.IcalJsName or CalendarParsers.IcalNetName)
                {
                    foreach (var tag in want.Tags.Where(t => !got.Categories.Contains(t)))
                    {
                        failures.Add($"{feed.Parser}: {want.Local}: CATEGORIES {Escape(string.Join(" | ", got.Categories))} lack the tag {Escape(tag)}");
                    }
                }
            }
        }

        return failures;
    }

    /// <summary>libical drops spaces and tabs at the end of a property value (mid-value ones, even at folds, survive); no writer can prevent it.</summary>
    private static string AsRead(string parser, string text) => parser == CalendarParsers.LibicalName ? text.TrimEnd(' ', '\t') : text;

    private static string Diff(string expected, string? actual)
    {
        if (actual is null)
        {
            return $"expected {Escape(expected)}, read nothing";
        }

        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }

        var from = Math.Max(0, at - 10);
        return $"differs at char {at}: expected …{Escape(Slice(expected, from))}…, read …{Escape(Slice(actual, from))}…"
            + (actual.Contains('\uFFFD') ? " (contains U+FFFD)" : "");
    }

    private static string Slice(string s, int from) => from >= s.Length ? "" : s.Substring(from, Math.Min(40, s.Length - from));

    /// <summary>Non-ASCII as \uXXXX, so combining marks, RTL marks and lone surrogates are visible as themselves.</summary>
    private static string Escape(string s)
    {
        var text = new StringBuilder("\"");
        foreach (var c in s)
        {
            text.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return text.Append('"').ToString();
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
