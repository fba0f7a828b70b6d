using Organizer.Application.Common.Exceptions;
using Organizer.Application.Events.Series;
using Organizer.Application.Timeline;
using Organizer.Domain.Events;

namespace Organizer.UnitTests;

/// <summary>
/// A series' tally, worked out once, must give at every later instant of its year the count that expanding the series
/// at that instant gives; and it must not be reused once the series changed in any way a count can see.
/// </summary>
public sealed class SeriesTallyTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Event Daily(string firstStart = "2026-12-20T06:00:00")
    {
        var start = DateTime.Parse(firstStart, System.Globalization.CultureInfo.InvariantCulture);
        return new Event
        {
            Id = Guid.NewGuid(),
            Slug = "picket",
            Title = "Picket at the gates",
            Schedule = EventSchedule.Timed(start, start.AddHours(2), "America/Toronto"),
            Recurrence = new Recurrence { Frequency = RecurrenceFrequency.Daily },
        };
    }

    /// <summary>What counting from scratch at <paramref name="at"/> says: each occurrence begun, not cancelled.</summary>
    private static (int Total, DateOnly? Last) Expanded(Event series, DateTimeOffset at)
    {
        var counted = SeriesExpansion.From(series, null, new ExpansionBudget(100_000))
            .TakeWhile(o => o.Schedule.SortAt < at)
            .Where(o => o.Status is not (EventStatus.Cancelled or EventStatus.Pending))
            .ToList();
        return (counted.Count, counted.Count > 0 ? counted[^1].Date : null);
    }

    [Fact]
    public void ATallyWorkedOutOnce_CountsAtEveryLaterInstantOfItsYear_AsExpandingThenWould()
    {
        var series = Daily();
        series.Overrides.Add(new OccurrenceOverride { Occurrence = new DateOnly(2027, 3, 5), Status = EventStatus.Cancelled });
        series.ExceptDates = [new DateOnly(2027, 4, 1)];
        var tally = SeriesTally.Work(series, SeriesTally.InputsOf(series), Now, new ExpansionBudget(100_000))!;

        foreach (var at in new[] { Now, Now.AddHours(18), Now.AddDays(4).AddHours(-1), Now.AddDays(40), Now.AddDays(365) })
        {
            var count = tally.CountAt(at);
            Assert.True(tally.Answers(SeriesTally.InputsOf(series), at));
            Assert.Equal(Expanded(series, at), (count.Total, count.Last?.Date));
            Assert.Equal(count.Total, count.ByYear.Values.Sum());
        }

        Assert.False(tally.Answers(SeriesTally.InputsOf(series), Now + SeriesTally.Ahead));
        Assert.False(tally.Answers(SeriesTally.InputsOf(series), Now.AddDays(-1)));
    }

    [Fact]
    public void EveryChangeACountCanSee_MakesTheTallyStale()
    {
        var inputs = SeriesTally.InputsOf(Daily());
        var changes = new Action<Event>[]
        {
            s => s.ExceptDates = [new DateOnly(2027, 1, 2)],
            s => s.Overrides.Add(new OccurrenceOverride { Occurrence = new DateOnly(2027, 1, 2), Status = EventStatus.Cancelled }),
            s => s.Overrides.Add(new OccurrenceOverride { Occurrence = new DateOnly(2027, 1, 2), Start = new DateTime(2027, 1, 2, 9, 0, 0) }),
            s => s.Status = EventStatus.Cancelled,
            s => s.Recurrence = new Recurrence { Frequency = RecurrenceFrequency.Daily, Interval = 2 },
            s => s.Schedule = EventSchedule.Timed(new DateTime(2026, 12, 20, 7, 0, 0), new DateTime(2026, 12, 20, 9, 0, 0), "America/Toronto"),
        };

        foreach (var change in changes)
        {
            var series = Daily();
            change(series);
            Assert.NotEqual(inputs, SeriesTally.InputsOf(series));
        }

        // A title is not counted: the same tally still answers.
        var renamed = Daily();
        renamed.Title = "Another title";
        Assert.Equal(inputs, SeriesTally.InputsOf(renamed));
    }

    [Fact]
    public void TalliesBeyondARequestsBudget_AreRefused_ButThoseFinishedAreKept()
    {
        using var tallies = new SeriesTallies();
        // Daily since 1800: about 83,000 occurrences each, four of them more than one request expands.
        var series = Enumerable.Range(0, 4).Select(_ => Daily("1800-01-01T12:00:00")).ToList();

        Assert.Throws<TryLaterException>(() => tallies.CountAt(series, Now));
        var counts = tallies.CountAt(series, Now);

        Assert.All(counts, c => Assert.Equal(Expanded(series[0], Now).Total, c.Total));
    }
}
