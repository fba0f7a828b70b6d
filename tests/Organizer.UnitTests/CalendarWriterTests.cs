using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Text;
using Organizer.Application.Common.Models;
using Organizer.Application.Feeds;
using Organizer.Domain.Common;
using Organizer.Domain.Events;
using Organizer.UnitTests.Feeds;

namespace Organizer.UnitTests;

public sealed class CalendarWriterTests
{
    private static readonly DateTimeOffset Changed = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nul_AndOtherControlCharacters_NeverReachTheFile_ButNewlinesAndTabsSurviveEscaped()
    {
        var text = Write(Event("Rally\0 now\u0007", "Line one\r\nLine two\tend\u001b"));

        Assert.DoesNotContain('\0', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("SUMMARY:Rally now", text);
        Assert.Contains("Line one\\nLine two\tend", IcsText.Unfold(text));
    }

    [Fact]
    public void CrLfInATitle_StaysInsideItsProperty()
    {
        var text = Write(Event("Rally\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@example", null));

        Assert.Equal(1, CountLines(text, "BEGIN:VEVENT"));
        Assert.Equal(1, CountLines(text, "END:VEVENT"));
        Assert.DoesNotContain("\r\nUID:evil@example", text);
    }

    [Fact]
    public void AllDayEvent_HasAnExclusiveDateEnd_AndNoTimeZone()
    {
        var text = Write(Event("Assembly", null, EventSchedule.AllDayRange(new DateOnly(2022, 6, 1), new DateOnly(2022, 6, 4), "America/Toronto")));

        Assert.Contains("DTSTART;VALUE=DATE:20220601", text);
        Assert.Contains("DTEND;VALUE=DATE:20220605", text);
        Assert.DoesNotContain("BEGIN:VTIMEZONE", text);
        Assert.DoesNotContain("TRANSP:", text);
    }

    [Fact]
    public void Uid_IsTheIdAtTheConfiguredDomain_AndDtstampIsTheLastChange()
    {
        var e = Event("Rally", null);

        var text = Write(e);

        Assert.Contains($"UID:{e.Id:D}@example.org", text);
        Assert.Contains("DTSTAMP:20261101T100000Z", text);
        Assert.Contains("LAST-MODIFIED:20261101T100000Z", text);
        Assert.DoesNotContain("METHOD:", text);
        Assert.DoesNotContain("ORGANIZER", text);
    }

    [Fact]
    public void Calendar_NamesItself_AndSaysHowOftenToRefresh()
    {
        var lines = IcsText.Lines(Write(Event("Rally", null)));

        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal("END:VCALENDAR", lines[^1]);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains($"PRODID:{CalendarWriter.ProductId}", lines);
        Assert.Contains("CALSCALE:GREGORIAN", lines);
        Assert.Contains("NAME:Organizer — test", lines);
        Assert.Contains("X-WR-CALNAME:Organizer — test", lines);
        Assert.Contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H", lines);
        Assert.Contains("X-PUBLISHED-TTL:PT1H", lines);
    }

    // The instants of the regressions: each local time must mean the same instant to a parser that resolves
    // the TZID by its id (Ical.Net) and by the file's own VTIMEZONE (as ical.js, libical and the apps do).
    [Theory]
    [InlineData("America/Sao_Paulo", "2019-01-15T12:00", "2019-01-15T14:00Z")]
    [InlineData("Pacific/Apia", "2019-01-15T12:00", "2019-01-14T22:00Z")]
    [InlineData("America/Santiago", "2027-09-08T12:00", "2027-09-08T15:00Z")]
    [InlineData("America/Toronto", "2006-03-20T12:00", "2006-03-20T17:00Z")] // before the 2007 rules: still EST
    [InlineData("America/Toronto", "2006-10-30T12:00", "2006-10-30T17:00Z")]
    [InlineData("Asia/Kathmandu", "1985-06-01T12:00", "1985-06-01T06:30Z")]
    [InlineData("Europe/London", "1995-10-25T12:00", "1995-10-25T12:00Z")] // British summer time ended on 22 October
    [InlineData("Australia/Lord_Howe", "2027-10-20T10:00", "2027-10-19T23:00Z")]
    [InlineData("America/Toronto", "2027-11-07T00:30", "2027-11-07T04:30Z")]
    [InlineData("Europe/Dublin", "2026-01-15T12:00", "2026-01-15T12:00Z")]
    [InlineData("Asia/Kolkata", "2026-06-01T12:00", "2026-06-01T06:30Z")]
    [InlineData("America/New_York", "2028-03-01T18:00", "2028-03-01T23:00Z")]
    [InlineData("America/Toronto", "1900-07-04T12:00", "1900-07-04T17:00Z")]
    [InlineData("America/Toronto", "2100-07-04T12:00", "2100-07-04T16:00Z")]
    public void TimedEvents_MeanTheStoredInstant_ByIdAndByTheFilesOwnVTimeZone(string zone, string local, string utc)
    {
        var start = DateTime.Parse(local, CultureInfo.InvariantCulture);
        var expected = DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture).UtcDateTime;
        var e = Event("Rally", null, EventSchedule.Timed(start, start.AddHours(2), zone));

        var text = Write(e);

        Assert.Contains($"DTSTART;TZID={zone}:{start:yyyyMMdd'T'HHmmss}\r\n", text);
        Assert.Equal(expected, IcsText.StartUtc(text));
        Assert.Equal(e.Schedule.EndsAt!.Value.UtcDateTime, IcsText.StartUtc(text, "DTEND"));
        var parsed = Ical.Net.Calendar.Load(text)!.Events.Single();
        Assert.Equal(expected, parsed.DtStart!.AsUtc);
        Assert.Equal(e.Schedule.EndsAt!.Value.UtcDateTime, parsed.DtEnd!.AsUtc);
    }

    [Fact]
    public void ATimeTheClocksShowTwice_IsWrittenInUtc()
    {
        // 01:30 on 1 November 2026 comes twice in Toronto; parsers disagree on which a TZID time means.
        var text = Write(Event("Rally", null, EventSchedule.Timed(new DateTime(2026, 11, 1, 1, 30, 0), new DateTime(2026, 11, 1, 3, 0, 0), "America/Toronto")));

        Assert.Contains("DTSTART:20261101T053000Z\r\n", text);
        Assert.Contains("DTEND;TZID=America/Toronto:20261101T030000\r\n", text);
    }

    [Fact]
    public void ATimeInALocalMeanTimeOffset_IsWrittenInUtc()
    {
        // Paris kept its mean time, +00:09:21, until 1911; ical.js drops the seconds of such an offset.
        var text = Write(Event("Rally", null, EventSchedule.Timed(new DateTime(1900, 5, 1, 12, 0, 0), null, "Europe/Paris")));

        Assert.Contains("DTSTART:19000501T115039Z\r\n", text);
    }

    [Fact]
    public void EveryTimeZoneUsed_HasOneVTimeZone_InOrdinalOrder()
    {
        var events = new[]
        {
            Event("A", null, EventSchedule.Timed(new DateTime(2026, 12, 5, 14, 0, 0), null, "Europe/Paris")),
            Event("B", null, EventSchedule.Timed(new DateTime(2019, 1, 5, 14, 0, 0), null, "America/Toronto")),
            Event("C", null, EventSchedule.Timed(new DateTime(2030, 1, 5, 14, 0, 0), null, "America/Toronto")),
            Event("D", null, EventSchedule.AllDayRange(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 1), "Asia/Tokyo")),
        };

        var text = Write(events);

        Assert.Equal(["America/Toronto", "Europe/Paris"], IcsText.Values(text, "TZID").ToArray());
        Assert.Equal(new DateTime(2019, 1, 5, 19, 0, 0), IcsText.ToUtc(text, "America/Toronto", new DateTime(2019, 1, 5, 14, 0, 0)));
        Assert.Equal(new DateTime(2030, 1, 5, 19, 0, 0), IcsText.ToUtc(text, "America/Toronto", new DateTime(2030, 1, 5, 14, 0, 0)));
    }

    [Fact]
    public void AnEventThatCannotBeWritten_IsLeftOutAndReported_AndTheRestIsServed()
    {
        var bad = Event("Bad", null, WithZone(EventSchedule.Timed(new DateTime(2026, 12, 5, 14, 0, 0), null, "America/Toronto"), "Mars/Olympus_Mons"));
        var good = Event("Good", null);
        var failures = new List<(FeedEvent, Exception)>();

        var text = Encoding.UTF8.GetString(CalendarWriter.Write(Header, [bad, good], Url, "example.org", (e, x) => failures.Add((e, x))));

        var failure = Assert.Single(failures);
        Assert.Same(bad, failure.Item1);
        Assert.IsType<DomainRuleException>(failure.Item2);
        Assert.Equal(1, CountLines(text, "BEGIN:VEVENT"));
        Assert.Contains("SUMMARY:Good", text);
        Assert.DoesNotContain("Mars", text);
        Assert.Single(Ical.Net.Calendar.Load(text)!.Events);
    }

    [Fact]
    public void AnEmojiTitle_ComesBackWhole()
    {
        var title = "Emo " + string.Concat(Enumerable.Repeat("😀", 20));

        var parsed = Ical.Net.Calendar.Load(Write(Event(title, null)))!.Events.Single();

        Assert.Equal(title, parsed.Summary);
    }

    [Fact]
    public void NoLine_IsLongerThan75Octets()
    {
        var e = Event(new string('t', 200), string.Concat(Enumerable.Repeat("Ünïcödé 😀 שלום, ", 40))) with { Tags = ["a,b", "c;d"] };

        var text = Write(e);

        Assert.All(text.Split("\r\n"), l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, l));
    }

    [Theory]
    [InlineData(DatePrecision.Week)]
    [InlineData(DatePrecision.Month)]
    [InlineData(DatePrecision.Year)]
    public void AnEventKnownOnlyToTheMonth_IsOneFreeDayOnItsFirstDate_WithThePrecisionSaid(DatePrecision precision)
    {
        var text = Write(Event("Strike", null, EventSchedule.AllDayRange(new DateOnly(2022, 12, 7), new DateOnly(2022, 12, 31), "America/Toronto", precision)));

        Assert.Contains("DTSTART;VALUE=DATE:20221207\r\n", text);
        Assert.Contains("DTEND;VALUE=DATE:20221208\r\n", text);
        Assert.Contains("TRANSP:TRANSPARENT\r\n", text);
        var description = Description(text);
        Assert.Contains($"Date known only to the {precision.ToString().ToLowerInvariant()}", description);
        Assert.Contains("2022-12-31", description);
    }

    [Fact]
    public void ACancelledEvent_SaysWhyFirst()
    {
        var text = Write(Event("Rally", "Bring signs.") with { Status = EventStatus.Cancelled, StatusReason = "Permit refused" });

        Assert.Contains("STATUS:CANCELLED\r\n", text);
        Assert.StartsWith("Cancelled: Permit refused\n\nBring signs.", Description(text));
    }

    [Fact]
    public void APostponedEvent_SaysTheNewDateIsToBeAnnounced()
    {
        var text = Write(Event("Rally", null) with { Status = EventStatus.Postponed, StatusReason = null });

        Assert.Contains("STATUS:TENTATIVE\r\n", text);
        Assert.StartsWith("Postponed, new date to be announced.\n", Description(text));
    }

    [Fact]
    public void ASessionOfAnAssembly_CarriesTheAssemblysName()
    {
        var parent = Guid.NewGuid();
        var text = Write(Event("Panel", null) with { ParentId = parent, ParentTitle = "Climate assembly, 2026" });

        Assert.Contains("SUMMARY:Panel — Climate assembly\\, 2026\r\n", IcsText.Unfold(text));
        Assert.StartsWith("Part of: Climate assembly, 2026\n", Description(text));
        Assert.Contains($"RELATED-TO:{parent:D}@example.org\r\n", text);
    }

    [Fact]
    public void PlaceCategoriesContactsAndGeo_AreWritten_WithTheInvariantCulture()
    {
        var e = Event("Rally", null) with
        {
            PlaceName = "City Hall", PlaceAddress = "100 Queen St W", PlaceCity = "Toronto", PlaceRegion = "toronto", PlaceCountryCode = "CA",
            Latitude = 43.6534, Longitude = -79.3841,
            Tags = ["housing", "rent, control"],
            Organizations = [("Tenants Union", ParticipationRole.Host), ("Other", ParticipationRole.Endorser)],
        };

        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        string text;
        try
        {
            text = Write(e);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        var lines = IcsText.Lines(text);
        Assert.Contains("LOCATION:City Hall\\, 100 Queen St W\\, Toronto\\, CA", lines);
        Assert.Contains("GEO:43.6534;-79.3841", lines);
        Assert.Contains("CATEGORIES:rally,housing,rent\\, control", lines);
        Assert.Contains("CONTACT:Tenants Union (host)", lines);
        Assert.DoesNotContain("CONTACT:Other (endorser)", lines);
        var parsed = Ical.Net.Calendar.Load(text)!.Events.Single();
        Assert.Equal(["rally", "housing", "rent, control"], parsed.Categories.ToArray());
        Assert.Equal(43.6534, parsed.GeographicLocation!.Latitude);
    }

    [Fact]
    public void ZoneOf_IsNullForAllDayEvents_AndCoversStartToEndOtherwise()
    {
        var timed = Event("Rally", null, EventSchedule.Timed(new DateTime(2026, 12, 5, 14, 0, 0), new DateTime(2026, 12, 5, 16, 0, 0), "America/Toronto"));

        Assert.Null(CalendarWriter.ZoneOf(Event("Assembly", null, EventSchedule.AllDayRange(new DateOnly(2022, 6, 1), new DateOnly(2022, 6, 4), "America/Toronto"))));
        Assert.Equal(new ZoneUse("America/Toronto", timed.Schedule.StartsAt!.Value, timed.Schedule.EndsAt!.Value), CalendarWriter.ZoneOf(timed));
    }

    [Fact]
    public void ThePieces_MakeTheSameFeedAsWrite()
    {
        var events = new[] { Event("A", null), Event("B", null, EventSchedule.Timed(new DateTime(2027, 5, 5, 9, 0, 0), null, "Europe/Paris")) };
        var buffer = new ArrayBufferWriter<byte>();

        CalendarWriter.WriteHeader(buffer, Header);
        CalendarWriter.WriteTimeZones(buffer, events.Select(CalendarWriter.ZoneOf).OfType<ZoneUse>());
        foreach (var e in events)
        {
            CalendarWriter.WriteEvent(buffer, e, Url(e.Slug), "example.org");
        }

        CalendarWriter.WriteFooter(buffer);

        Assert.Equal(CalendarWriter.Write(Header, events, Url, "example.org"), buffer.WrittenSpan.ToArray());
    }

    private static readonly FeedHeader Header = new("Organizer — test", "test");

    private static string Url(string slug) => $"https://organizer.example/api/events/{slug}";

    private static string Write(params FeedEvent[] events) =>
        Encoding.UTF8.GetString(CalendarWriter.Write(Header, events, Url, "example.org", (_, x) => throw new InvalidOperationException("An event failed", x)));

    private static string Description(string text) => IcsText.Unescape(IcsText.Values(text, "DESCRIPTION").Last());

    private static int CountLines(string text, string line) => text.Split("\r\n").Count(l => l == line);

    /// <summary>A schedule as a row from an older tz database might hold it: with a zone this one does not know.</summary>
    private static EventSchedule WithZone(EventSchedule schedule, string zone)
    {
        typeof(EventSchedule).GetProperty(nameof(EventSchedule.TimeZone), BindingFlags.Public | BindingFlags.Instance)!.SetValue(schedule, zone);
        return schedule;
    }

    private static FeedEvent Event(string title, string? description, EventSchedule? schedule = null) => new(
        Guid.NewGuid(), "slug", title, EventKind.Rally, EventStatus.Scheduled,
        schedule ?? EventSchedule.Timed(new DateTime(2026, 12, 5, 14, 0, 0), null, "America/Toronto"),
        null, null, description, null, null, null, null, null, null, null, null,
        [], [], null, [], [], Array.Empty<SourceDto>(), 0, Changed, Changed);
}
