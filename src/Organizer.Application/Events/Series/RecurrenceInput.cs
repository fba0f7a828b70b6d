using System.Globalization;
using FluentValidation;
using NodaTime;
using Organizer.Application.Common;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.Application.Events.Series;

/// <summary>
/// How a posted event repeats: the rule's parts, or the same rule as RFC 5545 RRULE text in <see cref="Rrule"/>. The
/// event's own start, end and zone are its first occurrence.
/// </summary>
public sealed record RecurrenceInput
{
    /// <summary>daily, weekly or monthly.</summary>
    public string? Frequency { get; init; }

    public int? Interval { get; init; }

    /// <summary>Weekdays ("th"), for a monthly rule optionally numbered ("1su" the first Sunday, "-1fr" the last Friday).</summary>
    public List<string>? ByDay { get; init; }

    /// <summary>Days of the month: 1 to 31, or -1 (the last) to -31.</summary>
    public List<int>? ByMonthDay { get; init; }

    public int? Count { get; init; }

    /// <summary>The last date an occurrence may start on (YYYY-MM-DD), inclusive.</summary>
    public string? Until { get; init; }

    /// <summary>Dates removed from the series (YYYY-MM-DD).</summary>
    public List<string>? ExceptDates { get; init; }

    /// <summary>The rule as an RRULE value ("FREQ=WEEKLY;BYDAY=TH"), instead of its parts.</summary>
    public string? Rrule { get; init; }

    internal bool HasParts => Frequency is not null || Interval is not null || ByDay is not null || ByMonthDay is not null || Count is not null || Until is not null;

    /// <summary>
    /// The rule, for a series whose first occurrence starts at <paramref name="start"/> in <paramref name="zone"/>.
    /// </summary>
    /// <exception cref="DomainRuleException">The rule is outside the supported subset; the message names the part.</exception>
    public Recurrence ToRule(LocalTime start, DateTimeZone zone)
    {
        if (Rrule is not null)
        {
            return Recurrence.Parse(Rrule, start, zone);
        }

        var rule = new Recurrence
        {
            Frequency = KebabEnum.TryParse<RecurrenceFrequency>(Frequency, out var frequency) ? frequency : throw Unparsed("frequency"),
            Interval = Interval ?? 1,
            ByDay = ByDay?.Select(d => WeekdayRule.TryParse(d) ?? throw Unparsed("byDay")).ToList() ?? [],
            ByMonthDay = ByMonthDay ?? [],
            Count = Count,
            Until = Until is null ? null : Times.TryDate(Until, out var until) ? new LocalDate(until.Year, until.Month, until.Day) : throw Unparsed("until"),
        };
        return rule.Problem() is { } problem ? throw new DomainRuleException("recurrence", problem) : rule;
    }

    public static RecurrenceInput From(Recurrence rule, IEnumerable<DateOnly> exceptDates) => new()
    {
        Frequency = KebabEnum.ToKebab(rule.Frequency),
        Interval = rule.Interval,
        ByDay = rule.ByDay.Count == 0 ? null : rule.ByDay.Select(d => d.ToString().ToLowerInvariant()).ToList(),
        ByMonthDay = rule.ByMonthDay.Count == 0 ? null : rule.ByMonthDay.ToList(),
        Count = rule.Count,
        Until = rule.Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ExceptDates = exceptDates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
    };

    private static InvalidOperationException Unparsed(string field) => new($"'recurrence.{field}' reached a rule unvalidated.");
}

/// <summary>What can be said of a recurrence by itself; the assembler checks it against the event's first occurrence.</summary>
public sealed class RecurrenceInputValidator : AbstractValidator<RecurrenceInput>
{
    public const int MaxExceptDates = 1000;

    public RecurrenceInputValidator()
    {
        RuleFor(r => r).Must(r => r.Rrule is null || !r.HasParts).OverridePropertyName("rrule")
            .WithMessage("Give either 'rrule' or the rule's parts (frequency, interval, byDay, byMonthDay, count, until), not both.");
        RuleFor(r => r.Frequency).NotEmpty().When(r => r.Rrule is null)
            .WithMessage("'frequency' is required (daily, weekly or monthly), or give the rule as 'rrule'.");
        RuleFor(r => r.Frequency).Must(f => KebabEnum.TryParse<RecurrenceFrequency>(f, out _)).When(r => r.Frequency is not null)
            .WithMessage($"'frequency' must be one of: {KebabEnum.Allowed<RecurrenceFrequency>()}.");
        RuleFor(r => r.Interval).InclusiveBetween(1, Recurrence.MaxInterval).When(r => r.Interval is not null);
        RuleFor(r => r.Count).InclusiveBetween(1, Recurrence.MaxCount).When(r => r.Count is not null)
            .WithMessage($"'count' must be from 1 to {Recurrence.MaxCount}; give 'until', or neither, for a longer series.");
        RuleFor(r => r).Must(r => r.Count is null || r.Until is null).OverridePropertyName("until")
            .WithMessage("Give 'count' or 'until', not both: a series ends after a number of occurrences or on a date.");
        RuleFor(r => r.ByDay).Must(d => d!.Count <= 7 * 6).When(r => r.ByDay is not null).WithMessage("Too many 'byDay' entries.");
        RuleForEach(r => r.ByDay).Must(d => WeekdayRule.TryParse(d) is not null)
            .WithMessage("Each of 'byDay' is a weekday (mo, tu, we, th, fr, sa, su), for a monthly rule optionally numbered: '1su' the first Sunday, '-1fr' the last Friday.");
        RuleFor(r => r.ByMonthDay).Must(d => d!.Count <= 62).When(r => r.ByMonthDay is not null).WithMessage("Too many 'byMonthDay' entries.");
        RuleFor(r => r.Until).Must(u => Times.TryBoundedDate(u, out _)).When(r => r.Until is not null)
            .WithMessage("'until' must be a date (YYYY-MM-DD): the last day an occurrence may start on.");
        RuleFor(r => r.Rrule).MaximumLength(300).When(r => r.Rrule is not null);
        RuleFor(r => r.ExceptDates).Must(d => d!.Count <= MaxExceptDates).When(r => r.ExceptDates is not null)
            .WithMessage($"At most {MaxExceptDates} 'exceptDates'.");
        RuleForEach(r => r.ExceptDates).Must(d => Times.TryBoundedDate(d, out _)).WithMessage("Each of 'exceptDates' must be a date (YYYY-MM-DD).");

        // The rule as a whole, once its parts parse: a part the subset does not have, or parts that do not go together.
        // The zone and time only change which date a UTC UNTIL falls on, never whether the rule is valid.
        RuleFor(r => r).Custom((r, context) =>
        {
            if (r.Rrule is null && (!KebabEnum.TryParse<RecurrenceFrequency>(r.Frequency, out _) || r.ByDay?.Any(d => WeekdayRule.TryParse(d) is null) == true
                || (r.Until is not null && !Times.TryDate(r.Until, out _)) || (r.Count is not null && r.Until is not null)))
            {
                return;
            }

            try
            {
                r.ToRule(LocalTime.Midnight, DateTimeZone.Utc);
            }
            catch (DomainRuleException e)
            {
                context.AddFailure(r.Rrule is null ? "" : "rrule", e.Message);
            }
        });
    }
}
