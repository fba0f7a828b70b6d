using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Events.Series;
using Organizer.Domain.Events;

namespace Organizer.Application.Timeline;

/// <summary>A counted occurrence: begun (or to begin), and neither cancelled nor awaiting approval.</summary>
public readonly record struct TalliedOccurrence(DateTimeOffset SortAt, DateOnly Date, DateOnly StartDate);

/// <summary>What a series counts for in a summary at one instant: its occurrences begun by then.</summary>
/// <param name="ByYear">How many began in each year (of their local start date).</param>
/// <param name="First">The earliest, or null when none has begun.</param>
/// <param name="Last">The latest to have begun.</param>
public sealed record SeriesCount(IReadOnlyDictionary<int, int> ByYear, int Total, TalliedOccurrence? First, TalliedOccurrence? Last);

/// <summary>
/// One series' counted occurrences, worked out at <see cref="AsOf"/>: those begun by then as counts per year, and
/// those due in the following year one by one, so that the count at any later instant up to <see cref="ValidUntil"/>
/// needs no expansion.
/// </summary>
public sealed class SeriesTally
{
    /// <summary>How far ahead a tally lists occurrences: it is worked out again once a year at most, as time moves on.</summary>
    public static readonly TimeSpan Ahead = TimeSpan.FromDays(366);

    private readonly Dictionary<int, int> before;
    private readonly TalliedOccurrence[] ahead;
    private readonly TalliedOccurrence? first;
    private readonly TalliedOccurrence? lastBefore;

    private SeriesTally(string inputs, DateTimeOffset asOf, DateTimeOffset validUntil, Dictionary<int, int> before, TalliedOccurrence[] ahead, TalliedOccurrence? first, TalliedOccurrence? lastBefore)
    {
        Inputs = inputs;
        AsOf = asOf;
        ValidUntil = validUntil;
        this.before = before;
        this.ahead = ahead;
        this.first = first;
        this.lastBefore = lastBefore;
    }

    /// <summary>Everything the count depends on, as text (<see cref="InputsOf"/>): a tally is reused only for the same.</summary>
    public string Inputs { get; }

    public DateTimeOffset AsOf { get; }

    /// <summary>The instant after which occurrences not listed may have begun; <see cref="DateTimeOffset.MaxValue"/> once the series has no more.</summary>
    public DateTimeOffset ValidUntil { get; }

    /// <summary>For <see cref="MemoryCache"/>'s size limit: about the bytes held.</summary>
    public long Size => 256 + (Inputs.Length * 2) + (before.Count * 24) + (ahead.Length * 32);

    public bool Answers(string inputs, DateTimeOffset now) => now >= AsOf && now < ValidUntil && inputs == Inputs;

    /// <summary>
    /// Expands <paramref name="series"/> from its first occurrence to a year past <paramref name="now"/> (or its end).
    /// Null when <paramref name="budget"/> ran out first.
    /// </summary>
    public static SeriesTally? Work(Event series, string inputs, DateTimeOffset now, ExpansionBudget budget)
    {
        var horizon = now + Ahead;
        var validUntil = DateTimeOffset.MaxValue;
        var before = new Dictionary<int, int>();
        var ahead = new List<TalliedOccurrence>();
        TalliedOccurrence? first = null;
        TalliedOccurrence? lastBefore = null;

        // In calendar order (sort instant, then date), so the first listed is the earliest and the walk can stop at the horizon.
        foreach (var occurrence in SeriesExpansion.From(series, null, budget))
        {
            if (occurrence.Schedule.SortAt >= horizon)
            {
                validUntil = horizon;
                break;
            }

            if (occurrence.Status is EventStatus.Cancelled or EventStatus.Pending)
            {
                continue;
            }

            var tallied = new TalliedOccurrence(occurrence.Schedule.SortAt, occurrence.Date, occurrence.Schedule.StartDate);
            first ??= tallied;
            if (tallied.SortAt < now)
            {
                before[tallied.StartDate.Year] = before.GetValueOrDefault(tallied.StartDate.Year) + 1;
                lastBefore = tallied;
            }
            else
            {
                ahead.Add(tallied);
            }
        }

        return budget.Exhausted ? null : new SeriesTally(inputs, now, validUntil, before, [.. ahead], first, lastBefore);
    }

    /// <summary>The occurrences begun by <paramref name="now"/>, which must be within [<see cref="AsOf"/>, <see cref="ValidUntil"/>).</summary>
    public SeriesCount CountAt(DateTimeOffset now)
    {
        var byYear = new Dictionary<int, int>(before);
        var total = before.Values.Sum();
        var last = lastBefore;
        foreach (var occurrence in ahead.TakeWhile(o => o.SortAt < now))
        {
            byYear[occurrence.StartDate.Year] = byYear.GetValueOrDefault(occurrence.StartDate.Year) + 1;
            total++;
            last = occurrence;
        }

        return new SeriesCount(byYear, total, total > 0 ? first : null, last);
    }

    /// <summary>
    /// What expanding the series depends on and a count can see: the rule, the first occurrence's times and zone, the
    /// series' status, removed dates, and each changed date's times and status. Titles and places are not counted. The
    /// text itself is compared rather than a version, since a change made in SQL moves no version of the series.
    /// </summary>
    public static string InputsOf(Event series)
    {
        var schedule = series.Schedule;
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{series.Recurrence}|{series.Status}|{schedule.AllDay}|{schedule.TimeZone}|{schedule.StartDate:O}|{schedule.EndDate:O}|{schedule.StartsAt:O}|{schedule.EndsAt:O}|");
        foreach (var date in series.ExceptDates.Order())
        {
            text.Append(CultureInfo.InvariantCulture, $"{date:O},");
        }

        foreach (var change in series.Overrides.OrderBy(o => o.Occurrence))
        {
            text.Append(CultureInfo.InvariantCulture, $"|{change.Occurrence:O}:{change.Status}:{change.Start:O}:{change.End:O}");
        }

        return text.ToString();
    }
}

/// <summary>
/// Each series' tally, kept between summaries: an organization's summary counts every past occurrence of its series,
/// which a daily picket line of some years makes thousands of, so each series is expanded again only when something
/// it depends on changed, or a year after it last was. Per process: every instance works out its own.
/// </summary>
public sealed class SeriesTallies : IDisposable
{
    /// <summary>
    /// The most occurrences one request expands for tallies it does not have: about a quarter of a second of one core (docs/performance.md, F4). A series
    /// expands at most about 83,000 (daily from 1800, the earliest date accepted), so a request always finishes some.
    /// </summary>
    public const int BudgetPerRequest = 300_000;

    private const long SizeLimit = 32L * 1024 * 1024;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    /// <summary>
    /// The count of each series at <paramref name="now"/>, in the order given. When the ones not kept need more than
    /// <see cref="BudgetPerRequest"/> occurrences, those worked out are kept and the request is refused (503): the next
    /// goes on from there, and no count is ever given short.
    /// </summary>
    public IReadOnlyList<SeriesCount> CountAt(IReadOnlyList<Event> series, DateTimeOffset now)
    {
        var left = BudgetPerRequest;
        var counts = new List<SeriesCount>(series.Count);
        foreach (var one in series)
        {
            var inputs = SeriesTally.InputsOf(one);
            if (!cache.TryGetValue(one.Id, out SeriesTally? tally) || !tally!.Answers(inputs, now))
            {
                var budget = new ExpansionBudget(left);
                tally = SeriesTally.Work(one, inputs, now, budget);
                left = budget.Left;
                if (tally is null)
                {
                    throw new TryLaterException(
                        "This organization's series have more past occurrences than one request counts. Those counted so far are kept: ask again.", 1);
                }

                cache.Set(one.Id, tally, new MemoryCacheEntryOptions { Size = tally.Size, SlidingExpiration = TimeSpan.FromHours(6) });
            }

            counts.Add(tally.CountAt(now));
        }

        return counts;
    }

    public void Dispose() => cache.Dispose();
}
