using NodaTime;
using Organizer.Application.Events.Series;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.UnitTests;

/// <summary>
/// Occurrences keep their wall-clock time across DST changes; one in a gap moves forward by the gap and one in an
/// overlap is the earlier, as RFC 5545 reads a TZID time (issue 13). Expected instants are worked out by hand.
/// </summary>
public sealed class SeriesExpansionTests
{
    private static Event Daily(string zone, string firstStart, int count, int minutes = 60)
    {
        var start = DateTime.Parse(firstStart, System.Globalization.CultureInfo.InvariantCulture);
        var schedule = EventSchedule.Timed(start, start.AddMinutes(minutes), zone);
        var rule = new Recurrence { Frequency = RecurrenceFrequency.Daily, Count = count };
        return new Event
        {
            Slug = "series",
            Title = "Daily picket",
            Schedule = schedule,
            Recurrence = rule,
            SeriesEndDate = SeriesExpansion.EndDate(rule, schedule),
        };
    }

    private static List<string> Starts(Event series) =>
        SeriesExpansion.From(series, null, new ExpansionBudget()).Select(o => $"{o.Date:MM-dd} {o.Schedule.StartsAt!.Value.UtcDateTime:yyyy-MM-ddTHH:mm}Z").ToList();

    public static TheoryData<string, string, string[]> Transitions => new()
    {
        // Toronto springs forward 2030-03-10 02:00 -> 03:00: 02:30 that day is 03:30 EDT.
        { "America/Toronto", "2030-03-09T02:30:00", ["03-09 2030-03-09T07:30Z", "03-10 2030-03-10T07:30Z", "03-11 2030-03-11T06:30Z"] },
        // Toronto falls back 2030-11-03 02:00 -> 01:00: 01:30 happens twice; the earlier is EDT.
        { "America/Toronto", "2030-11-02T01:30:00", ["11-02 2030-11-02T05:30Z", "11-03 2030-11-03T05:30Z", "11-04 2030-11-04T06:30Z"] },
        // London springs forward 2030-03-31 01:00 -> 02:00: 01:30 that day is 02:30 BST.
        { "Europe/London", "2030-03-30T01:30:00", ["03-30 2030-03-30T01:30Z", "03-31 2030-03-31T01:30Z", "04-01 2030-04-01T00:30Z"] },
        // London falls back 2030-10-27 02:00 -> 01:00: the earlier 01:30 is BST.
        { "Europe/London", "2030-10-26T01:30:00", ["10-26 2030-10-26T00:30Z", "10-27 2030-10-27T00:30Z", "10-28 2030-10-28T01:30Z"] },
        // Lord Howe moves half an hour: 2030-10-06 02:00 -> 02:30, so 02:15 that day is 02:45 at +11:00.
        { "Australia/Lord_Howe", "2030-10-05T02:15:00", ["10-05 2030-10-04T15:45Z", "10-06 2030-10-05T15:45Z", "10-07 2030-10-06T15:15Z"] },
        // And back 2031-04-06 02:00 -> 01:30: 01:45 happens twice; the earlier is at +11:00.
        { "Australia/Lord_Howe", "2031-04-05T01:45:00", ["04-05 2031-04-04T14:45Z", "04-06 2031-04-05T14:45Z", "04-07 2031-04-06T15:15Z"] },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Occurrences_KeepWallClockTime_GapsMoveForward_OverlapsTakeTheEarlier(string zone, string firstStart, string[] expected) =>
        Assert.Equal(expected, Starts(Daily(zone, firstStart, 3)));

    [Fact]
    public void AnOccurrenceInAGap_KeepsItsLength()
    {
        var moved = SeriesExpansion.From(Daily("Europe/London", "2030-03-30T01:30:00", 2, minutes: 90), null, new ExpansionBudget()).Last();
        Assert.Equal(TimeSpan.FromMinutes(90), moved.Schedule.EndsAt - moved.Schedule.StartsAt);
        Assert.Equal(new LocalDateTime(2030, 3, 31, 1, 30), moved.RuleStart);
    }

    [Fact]
    public void RemovedAndChangedDates_AreLeftOutOrMoved_AndCountStillCountsRemovedOnes()
    {
        var series = Daily("America/Toronto", "2030-01-01T18:00:00", 4);
        series.ExceptDates = [new DateOnly(2030, 1, 2)];
        series.Overrides = [new OccurrenceOverride { Occurrence = new DateOnly(2030, 1, 3), Start = new DateTime(2030, 1, 5, 9, 0, 0), End = new DateTime(2030, 1, 5, 10, 0, 0), Title = "Moved" }];

        var occurrences = SeriesExpansion.From(series, null, new ExpansionBudget()).ToList();

        Assert.Equal(["01-01 2030-01-01T23:00Z", "01-04 2030-01-04T23:00Z", "01-03 2030-01-05T14:00Z"],
            occurrences.Select(o => $"{o.Date:MM-dd} {o.Schedule.StartsAt!.Value.UtcDateTime:yyyy-MM-ddTHH:mm}Z"));
        Assert.Equal("Moved", occurrences[2].Title);
        Assert.Null(SeriesExpansion.On(series, new DateOnly(2030, 1, 2)));
        Assert.Null(SeriesExpansion.On(series, new DateOnly(2030, 1, 5)));
    }

    [Fact]
    public void AnEndlessSeries_StopsWhereTheBudgetEnds()
    {
        var start = new DateTime(2030, 1, 1, 18, 0, 0);
        var series = new Event
        {
            Slug = "endless",
            Title = "Endless",
            Schedule = EventSchedule.Timed(start, start.AddHours(1), "UTC"),
            Recurrence = new Recurrence { Frequency = RecurrenceFrequency.Daily },
        };
        var budget = new ExpansionBudget(30);

        Assert.Equal(30, SeriesExpansion.From(series, null, budget).Count());
        Assert.True(budget.Exhausted);
    }

    [Theory]
    [InlineData("FREQ=MONTHLY;BYDAY=1SU", "2030-01-06", true)]
    [InlineData("FREQ=MONTHLY;BYDAY=1SU", "2030-01-13", false)]
    [InlineData("FREQ=MONTHLY;BYDAY=-1FR", "2030-01-25", true)]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=-1", "2030-02-28", true)]
    [InlineData("FREQ=WEEKLY;BYDAY=MO,WE", "2030-01-02", true)]
    [InlineData("FREQ=WEEKLY;BYDAY=MO,WE", "2030-01-03", false)]
    public void ARule_PicksItsDays(string rrule, string date, bool picked)
    {
        var rule = Recurrence.Parse(rrule, LocalTime.Noon, DateTimeZone.Utc);
        var day = LocalDate.FromDateTime(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(picked, rule.Picks(day));
    }

    [Theory]
    [InlineData("FREQ=WEEKLY;UNTIL=20300630T230000Z", "America/Toronto", 18, "2030-06-30")]
    [InlineData("FREQ=WEEKLY;UNTIL=20300630T210000Z", "America/Toronto", 18, "2030-06-29")]
    [InlineData("RRULE:freq=weekly;until=20300630", "America/Toronto", 18, "2030-06-30")]
    public void AUtcUntil_IsTheLastDateAnOccurrenceStartsBy(string rrule, string zone, int hour, string until)
    {
        var rule = Recurrence.Parse(rrule, new LocalTime(hour, 0), DateTimeZoneProviders.Tzdb[zone]);
        Assert.Equal(until, rule.Until!.Value.ToString("yyyy-MM-dd", null));
    }

    [Theory]
    [InlineData("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS is not supported")]
    [InlineData("FREQ=DAILY;BYMONTH=1", "BYMONTH is not supported")]
    [InlineData("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot be used with FREQ=WEEKLY")]
    [InlineData("FREQ=MONTHLY;BYDAY=6MO", "BYDAY '6MO' is not a weekday")]
    [InlineData("FREQ=DAILY;COUNT=1001", "COUNT must be a whole number from 1 to 1000")]
    [InlineData("FREQ=DAILY;WKST=SU", "WKST is not supported")]
    [InlineData("FREQ=DAILY;FREQ=WEEKLY", "FREQ is given twice")]
    [InlineData("INTERVAL=2", "FREQ is required")]
    public void ARuleOutsideTheSubset_IsRefusedNamingThePart(string rrule, string message)
    {
        var refused = Assert.Throws<DomainRuleException>(() => Recurrence.Parse(rrule, LocalTime.Noon, DateTimeZone.Utc));
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Equal("recurrence.rrule", refused.Field);
    }
}
