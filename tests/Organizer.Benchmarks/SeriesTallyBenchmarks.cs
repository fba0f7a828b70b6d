using BenchmarkDotNet.Attributes;
using Organizer.Application.Events.Series;
using Organizer.Application.Timeline;
using Organizer.Domain.Events;

namespace Organizer.Benchmarks;

/// <summary>
/// What a summary pays for one series: <c>Work</c> expands a daily series of <see cref="Years"/> years to a tally (a
/// first read, or a read after the series changed); <c>Reuse</c> is a read that finds the tally kept: the series'
/// inputs as text, compared, and the count at an instant.
/// </summary>
[MemoryDiagnoser]
public class SeriesTallyBenchmarks
{
    private Event series = null!;
    private SeriesTally tally = null!;
    private DateTimeOffset now;

    [Params(1, 10, 100)]
    public int Years { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        now = new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var start = new DateTime(2027 - Years, 3, 1, 6, 0, 0);
        series = new Event
        {
            Id = Guid.NewGuid(),
            Slug = "picket",
            Title = "Picket at the gates",
            Schedule = EventSchedule.Timed(start, start.AddHours(2), "America/Toronto"),
            Recurrence = new Recurrence { Frequency = RecurrenceFrequency.Daily },
            ExceptDates = [new DateOnly(2026, 12, 25)],
        };
        tally = Work();
        Console.WriteLine($"// {Years} years: {tally.CountAt(now).Total:N0} past occurrences");
    }

    [Benchmark]
    public SeriesTally Work() => SeriesTally.Work(series, SeriesTally.InputsOf(series), now, new ExpansionBudget(SeriesTallies.BudgetPerRequest))!;

    [Benchmark]
    public SeriesCount Reuse() => tally.Answers(SeriesTally.InputsOf(series), now.AddDays(3)) ? tally.CountAt(now.AddDays(3)) : throw new InvalidOperationException();
}
