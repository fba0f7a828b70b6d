using System.Globalization;
using NodaTime;
using Organizer.Application.Feeds;
using Organizer.Domain.Events;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// The cases issue 10 names, each in a feed of its own and read back by every parser. The expected instants are the
/// issue's, and NodaTime is asked to agree, so a wrong expectation fails here rather than passing silently.
/// </summary>
public sealed class FeedRegressionTests
{
    public static TheoryData<string> Cases => new(Catalogue.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IssueCase_ReadsBackRight_InEveryParser(string name)
    {
        var (evt, expected, feedCheck) = Catalogue[name]();

        var bytes = FeedUnderTest.Write([evt]);
        var failures = FeedChecks.Compare([expected], await CalendarParsers.ParseWithAllAsync(bytes));
        failures.AddRange(feedCheck?.Invoke(Unfold(bytes)) ?? []);

        Assert.True(failures.Count == 0, $"{name}:\n  {string.Join("\n  ", failures)}");
    }

    private sealed record Case(FeedEvent Event, ExpectedEvent Expected, Func<string[], IEnumerable<string>>? FeedCheck = null);

    private static readonly Dictionary<string, Func<Case>> Catalogue = new()
    {
        // Brazil dropped DST in 2019; a VTIMEZONE with only today's rules reads January 2019 an hour late.
        ["Sao_Paulo 2019-01-15 12:00"] = () => Timed("America/Sao_Paulo", At(2019, 1, 15, 12, 0), "2019-01-15T14:00:00Z"),

        // Samoa dropped DST in 2021; in January 2019 it was +14.
        ["Apia 2019-01-15 12:00"] = () => Timed("Pacific/Apia", At(2019, 1, 15, 12, 0), "2019-01-14T22:00:00Z"),

        // Chile's DST starts on the first Saturday of September at 24:00.
        ["Santiago 2027-09-08 12:00"] = () => Timed("America/Santiago", At(2027, 9, 8, 12, 0), "2027-09-08T15:00:00Z"),

        // 2006 is the last year of the old US/Canada rules: DST from the first Sunday of April to the last Sunday of October.
        ["Toronto 2006 summer"] = () => Timed("America/Toronto", At(2006, 7, 15, 12, 0), "2006-07-15T16:00:00Z"),
        ["Toronto 2006 winter"] = () => Timed("America/Toronto", At(2006, 1, 15, 12, 0), "2006-01-15T17:00:00Z"),
        ["Toronto 2006-03-20, standard time under the old rules"] = () => Timed("America/Toronto", At(2006, 3, 20, 12, 0), "2006-03-20T17:00:00Z"),
        ["Toronto 2006-10-31, standard time under the old rules"] = () => Timed("America/Toronto", At(2006, 10, 31, 12, 0), "2006-10-31T17:00:00Z"),

        // Nepal moved from +5:30 to +5:45 in 1986.
        ["Kathmandu 1985"] = () => Timed("Asia/Kathmandu", At(1985, 6, 15, 12, 0), "1985-06-15T06:30:00Z"),

        // Until 1995 British summer time ended on the fourth Sunday of October, not the last.
        ["London 1995 summer"] = () => Timed("Europe/London", At(1995, 6, 15, 12, 0), "1995-06-15T11:00:00Z"),
        ["London 1995-10-25, after summer time ended"] = () => Timed("Europe/London", At(1995, 10, 25, 12, 0), "1995-10-25T12:00:00Z"),

        // Lord Howe's DST is 30 minutes; a VTIMEZONE with no observance at all leaves every parser guessing.
        ["Lord_Howe 2027-10-20 10:00"] = () => Timed("Australia/Lord_Howe", At(2027, 10, 20, 10, 0), "2027-10-19T23:00:00Z")
            with { FeedCheck = feed => Observances(feed, "Australia/Lord_Howe").Count > 0 ? [] : ["the VTIMEZONE for Australia/Lord_Howe has no STANDARD or DAYLIGHT block"] },

        // Starts in daylight time and ends after the clocks go back that night, so it needs both observances.
        ["Toronto 2027-11-07 00:30 to 03:00, across the fall-back"] = () => Timed("America/Toronto", At(2027, 11, 7, 0, 30), "2027-11-07T04:30:00Z", At(2027, 11, 7, 3, 0), "2027-11-07T08:00:00Z")
            with { FeedCheck = feed => BothObservances(feed, "America/Toronto") },

        // More than a year ahead: Ical.Net's AddTimeZone throws when its start is after now.
        ["Auckland 2028"] = () => Timed("Pacific/Auckland", At(2028, 3, 1, 12, 0), "2028-02-29T23:00:00Z"),
        ["London 1900"] = () => Timed("Europe/London", At(1900, 6, 15, 12, 0), "1900-06-15T12:00:00Z"),
        ["New_York 2100"] = () => Timed("America/New_York", At(2100, 7, 1, 12, 0), "2100-07-01T16:00:00Z"),

        // 20 four-octet characters cross at least one 75-octet fold; folding inside a surrogate pair leaves U+FFFD.
        ["Emoji title"] = () => Timed("Europe/Berlin", At(2026, 12, 5, 14, 0), "2026-12-05T13:00:00Z", title: "Emo " + string.Concat(Enumerable.Repeat("😀", 20))),
    };

    private static LocalDateTime At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute);

    private static Case Timed(string zoneId, LocalDateTime start, string startUtc, LocalDateTime? end = null, string? endUtc = null, string title = "Rally")
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        Assert.Equal(startUtc, Utc(zone.AtLeniently(start)));
        if (end is { } e)
        {
            Assert.Equal(endUtc, Utc(zone.AtLeniently(e)));
        }

        var id = Guid.NewGuid();
        var schedule = EventSchedule.Timed(start.ToDateTimeUnspecified(), end?.ToDateTimeUnspecified(), zoneId);
        var local = $"{zoneId} {start.ToString("uuuu-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)}";
        return new Case(
            FeedUnderTest.Event(id, title, schedule),
            new ExpectedEvent(id, local, startUtc, endUtc, title, null, null, [], start.Year, (end ?? start).Year) { EndMayBeAbsent = end is null });
    }

    private static string Utc(ZonedDateTime z) => z.ToInstant().ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static IEnumerable<string> BothObservances(string[] feed, string tzid)
    {
        var kinds = Observances(feed, tzid);
        foreach (var kind in new[] { "STANDARD", "DAYLIGHT" }.Where(k => !kinds.Contains(k)))
        {
            yield return $"the VTIMEZONE for {tzid} has no {kind} block";
        }
    }

    /// <summary>The STANDARD/DAYLIGHT blocks of the feed's VTIMEZONE for tzid.</summary>
    private static List<string> Observances(string[] feed, string tzid)
    {
        var kinds = new List<string>();
        var inZone = false;
        string? tzidHere = null;
        foreach (var line in feed)
        {
            switch (line)
            {
                case "BEGIN:VTIMEZONE":
                    inZone = true;
                    tzidHere = null;
                    break;
                case "END:VTIMEZONE":
                    inZone = false;
                    break;
                case "BEGIN:STANDARD" or "BEGIN:DAYLIGHT" when inZone && tzidHere == tzid:
                    kinds.Add(line["BEGIN:".Length..]);
                    break;
                default:
                    if (inZone && line.StartsWith("TZID:", StringComparison.Ordinal))
                    {
                        tzidHere = line["TZID:".Length..];
                    }

                    break;
            }
        }

        return kinds;
    }

    /// <summary>RFC 5545 §3.1: a CRLF followed by one space or tab continues the line.</summary>
    private static string[] Unfold(byte[] feed) =>
        System.Text.Encoding.UTF8.GetString(feed).Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal).Split("\r\n");
}
