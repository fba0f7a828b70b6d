using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.TimeZones;

namespace Organizer.Domain.Events;

public enum RecurrenceFrequency
{
    Daily,
    Weekly,
    Monthly,
}

/// <summary>A BYDAY entry: a weekday, and for monthly rules optionally which one of the month (1 = first, -1 = last).</summary>
public sealed record WeekdayRule(int? Ordinal, IsoDayOfWeek Day)
{
    private static readonly string[] Codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

    /// <summary>"1SU", "-1FR", "TH": the RFC 5545 spelling.</summary>
    public override string ToString() => $"{Ordinal?.ToString(CultureInfo.InvariantCulture)}{Codes[(int)Day - 1]}";

    /// <summary>Reads "1su", "-1FR" or "th" (either case); null when the text is not one.</summary>
    public static WeekdayRule? TryParse(string? text)
    {
        if (text is null || text.Length < 2)
        {
            return null;
        }

        var code = text[^2..].ToUpperInvariant();
        var index = Array.IndexOf(Codes, code);
        if (index < 0)
        {
            return null;
        }

        var number = text[..^2];
        if (number.Length == 0)
        {
            return new WeekdayRule(null, (IsoDayOfWeek)(index + 1));
        }

        // "+1MO" is RFC 5545's own spelling of the first Monday; a zero or a sixth one does not exist in any month.
        return int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ordinal) && ordinal is >= -5 and <= 5 and not 0
            ? new WeekdayRule(ordinal, (IsoDayOfWeek)(index + 1))
            : null;
    }
}

/// <summary>
/// How a series repeats: the subset of an RFC 5545 RRULE that Organizer supports (daily, weekly or monthly, an
/// interval, weekdays with optional ordinals, days of the month, and a count or a last date). It says nothing about
/// time of day: every occurrence starts at the first one's wall-clock time, in its zone.
/// </summary>
public sealed record Recurrence
{
    public const int MaxInterval = 366;

    /// <summary>A series longer than this is given an end date instead (see <see cref="Until"/>) or none at all.</summary>
    public const int MaxCount = 1000;

    public required RecurrenceFrequency Frequency { get; init; }

    public int Interval { get; init; } = 1;

    public IReadOnlyList<WeekdayRule> ByDay { get; init; } = [];

    public IReadOnlyList<int> ByMonthDay { get; init; } = [];

    /// <summary>How many occurrences the rule makes (counting removed dates, as RFC 5545 does).</summary>
    public int? Count { get; init; }

    /// <summary>The last local date an occurrence may start on, inclusive.</summary>
    public LocalDate? Until { get; init; }

    public bool IsBounded => Count is not null || Until is not null;

    /// <summary>
    /// The rule's RRULE value with <see cref="Until"/> as a date: how it is stored, and what a calendar reads for an
    /// all-day series. <see cref="ToRRule"/> gives the form for a timed one.
    /// </summary>
    public override string ToString() => Text(Until is { } until ? until.ToString("yyyyMMdd", CultureInfo.InvariantCulture) : null);

    /// <summary>
    /// The RRULE value a calendar reads for a series whose first occurrence is <paramref name="first"/>. A timed series'
    /// UNTIL is in UTC, as RFC 5545 requires with a TZID start: the last instant of the until date in the series' zone.
    /// </summary>
    public string ToRRule(EventSchedule first)
    {
        if (Until is not { } until || first.AllDay)
        {
            return ToString();
        }

        var zone = EventSchedule.FindZone(first.TimeZone);
        var dayAfter = zone.ResolveLocal(until.PlusDays(1).AtMidnight(), Resolvers.LenientResolver).ToInstant();
        return Text(dayAfter.Minus(Duration.FromSeconds(1)).ToString("uuuuMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>Whether a local date is one the rule picks, its interval aside: a series must start on one.</summary>
    public bool Picks(LocalDate date)
    {
        if (ByMonthDay.Count > 0 && !ByMonthDay.Any(d => d == date.Day || d == date.Day - date.Calendar.GetDaysInMonth(date.Year, date.Month) - 1))
        {
            return false;
        }

        if (ByDay.Count == 0)
        {
            return true;
        }

        var daysInMonth = date.Calendar.GetDaysInMonth(date.Year, date.Month);
        return ByDay.Any(d => d.Day == date.DayOfWeek && d.Ordinal switch
        {
            null => true,
            > 0 and var n => (date.Day - 1) / 7 + 1 == n,
            var n => (daysInMonth - date.Day) / 7 + 1 == -n,
        });
    }

    private string Text(string? until)
    {
        var text = new StringBuilder("FREQ=").Append(Frequency.ToString().ToUpperInvariant());
        if (Interval != 1)
        {
            text.Append(";INTERVAL=").Append(Interval.ToString(CultureInfo.InvariantCulture));
        }

        if (ByDay.Count > 0)
        {
            text.Append(";BYDAY=").Append(string.Join(',', ByDay));
        }

        if (ByMonthDay.Count > 0)
        {
            text.Append(";BYMONTHDAY=").Append(string.Join(',', ByMonthDay.Select(d => d.ToString(CultureInfo.InvariantCulture))));
        }

        if (Count is { } count)
        {
            text.Append(";COUNT=").Append(count.ToString(CultureInfo.InvariantCulture));
        }

        if (until is not null)
        {
            text.Append(";UNTIL=").Append(until);
        }

        return text.ToString();
    }

    /// <summary>
    /// Reads an RRULE value (with or without the "RRULE:" name), down to the supported subset. Anything outside it is
    /// refused with what was wrong, naming the part. A timestamped UNTIL becomes the last date an occurrence can start
    /// on, given the series' wall-clock start <paramref name="start"/> in <paramref name="zone"/>: every occurrence
    /// starts at that time of day.
    /// </summary>
    public static Recurrence Parse(string text, LocalTime start, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = text.Trim();
        if (body.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase))
        {
            body = body[6..];
        }

        if (body.Length == 0)
        {
            throw Refused("The rule is empty; it needs at least FREQ, such as FREQ=WEEKLY;BYDAY=TH.");
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in body.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Refused($"'{Shown(part)}' is not a NAME=VALUE part of an RRULE.");
            }

            var name = part[..equals].Trim().ToUpperInvariant();
            if (!parts.TryAdd(name, part[(equals + 1)..].Trim()))
            {
                throw Refused($"{Shown(name)} is given twice.");
            }
        }

        foreach (var name in parts.Keys)
        {
            if (name is "BYSETPOS" or "BYMONTH" or "BYYEARDAY" or "BYWEEKNO" or "BYHOUR" or "BYMINUTE" or "BYSECOND" or "RSCALE" or "SKIP")
            {
                throw Refused($"{name} is not supported (supported: FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL).");
            }

            if (name is not ("FREQ" or "INTERVAL" or "BYDAY" or "BYMONTHDAY" or "COUNT" or "UNTIL" or "WKST"))
            {
                throw Refused($"'{Shown(name)}' is not an RRULE part.");
            }
        }

        if (!parts.TryGetValue("FREQ", out var frequencyText))
        {
            throw Refused("FREQ is required (DAILY, WEEKLY or MONTHLY).");
        }

        RecurrenceFrequency frequency = frequencyText.ToUpperInvariant() switch
        {
            "DAILY" => RecurrenceFrequency.Daily,
            "WEEKLY" => RecurrenceFrequency.Weekly,
            "MONTHLY" => RecurrenceFrequency.Monthly,
            "YEARLY" or "HOURLY" or "MINUTELY" or "SECONDLY" => throw Refused($"FREQ={frequencyText.ToUpperInvariant()} is not supported (supported: DAILY, WEEKLY, MONTHLY)."),
            _ => throw Refused($"FREQ '{Shown(frequencyText)}' is not a frequency (DAILY, WEEKLY or MONTHLY)."),
        };

        // Weeks start on Monday for every reader unless WKST says otherwise; another start would change which days a
        // weekly rule with an interval picks, and not every client honours it.
        if (parts.TryGetValue("WKST", out var weekStart) && !weekStart.Equals("MO", StringComparison.OrdinalIgnoreCase))
        {
            throw Refused("WKST is not supported other than WKST=MO.");
        }

        var interval = 1;
        if (parts.TryGetValue("INTERVAL", out var intervalText) && !int.TryParse(intervalText, NumberStyles.None, CultureInfo.InvariantCulture, out interval))
        {
            throw Refused($"INTERVAL must be a whole number from 1 to {MaxInterval}.");
        }

        var byDay = new List<WeekdayRule>();
        if (parts.TryGetValue("BYDAY", out var byDayText))
        {
            foreach (var day in byDayText.Split(','))
            {
                byDay.Add(WeekdayRule.TryParse(day.Trim()) ?? throw Refused($"BYDAY '{Shown(day)}' is not a weekday (MO…SU, for a monthly rule optionally numbered: 1SU, -1FR)."));
            }
        }

        var byMonthDay = new List<int>();
        if (parts.TryGetValue("BYMONTHDAY", out var byMonthDayText))
        {
            foreach (var day in byMonthDayText.Split(','))
            {
                byMonthDay.Add(int.TryParse(day.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d)
                    ? d
                    : throw Refused($"BYMONTHDAY '{Shown(day)}' is not a day of the month (1 to 31, or -1 to -31 from the end)."));
            }
        }

        int? count = null;
        if (parts.TryGetValue("COUNT", out var countText))
        {
            count = int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : throw Refused($"COUNT must be a whole number from 1 to {MaxCount}.");
        }

        LocalDate? until = null;
        if (parts.TryGetValue("UNTIL", out var untilText))
        {
            until = ParseUntil(untilText, start, zone) ?? throw Refused("UNTIL must be a date (20270630) or a UTC date-time (20270630T235959Z).");
        }

        var rule = new Recurrence { Frequency = frequency, Interval = interval, ByDay = byDay, ByMonthDay = byMonthDay, Count = count, Until = until };
        if (rule.Problem() is { } problem)
        {
            throw Refused(problem);
        }

        return rule;
    }

    /// <summary>What makes the rule unusable, in the words of the RRULE parts, or null.</summary>
    public string? Problem()
    {
        if (Interval is < 1 or > MaxInterval)
        {
            return $"INTERVAL must be a whole number from 1 to {MaxInterval}.";
        }

        if (Count is not null && Until is not null)
        {
            return "COUNT and UNTIL cannot both be given: a series ends after a number of occurrences or on a date.";
        }

        if (Count is < 1 or > MaxCount)
        {
            return $"COUNT must be a whole number from 1 to {MaxCount} (give UNTIL, or neither, for a longer series).";
        }

        if (ByDay.Select(d => d.Day).Distinct().Count() != ByDay.Count && ByDay.All(d => d.Ordinal is null))
        {
            return "BYDAY names a weekday twice.";
        }

        if (ByDay.Any(d => d.Ordinal is not null) && Frequency != RecurrenceFrequency.Monthly)
        {
            return "BYDAY with a number (such as 1SU) needs FREQ=MONTHLY.";
        }

        if (ByMonthDay.Any(d => d is 0 or < -31 or > 31))
        {
            return "BYMONTHDAY must be days from 1 to 31, or -1 to -31 from the end of the month.";
        }

        if (ByMonthDay.Count > 0 && Frequency == RecurrenceFrequency.Weekly)
        {
            return "BYMONTHDAY cannot be used with FREQ=WEEKLY.";
        }

        // Together they pick only days that are both, which can be months apart ("a Monday the 28th"): expanding such a
        // rule means searching through every day in between, and a numbered weekday says the same thing.
        if (ByMonthDay.Count > 0 && ByDay.Count > 0)
        {
            return "BYDAY and BYMONTHDAY together are not supported; for \"the second Monday\" use BYDAY=2MO.";
        }

        if (ByMonthDay.Distinct().Count() != ByMonthDay.Count)
        {
            return "BYMONTHDAY names a day twice.";
        }

        return null;
    }

    private static LocalDate? ParseUntil(string text, LocalTime start, DateTimeZone zone)
    {
        if (text.Length == 8 && TryDate(text, out var date))
        {
            return date;
        }

        if (text.Length is 15 or 16 && text[8] == 'T' && TryDate(text[..8], out var day)
            && int.TryParse(text.AsSpan(9, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var hms))
        {
            var time = new LocalDateTime(day.Year, day.Month, day.Day, 0, 0).PlusHours(hms / 10000).PlusMinutes(hms / 100 % 100).PlusSeconds(hms % 100);
            if (hms / 10000 > 23 || hms / 100 % 100 > 59 || hms % 100 > 59)
            {
                return null;
            }

            // A UTC UNTIL is read in the series' zone; a floating one is already its wall-clock time.
            var local = text.Length == 16
                ? text[15] == 'Z' ? Instant.FromUtc(time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second).InZone(zone).LocalDateTime : (LocalDateTime?)null
                : time;
            if (local is not { } until)
            {
                return null;
            }

            // Every occurrence starts at the first one's time of day: the until date's own occurrence is in only if it
            // starts by UNTIL.
            return until.TimeOfDay >= start ? until.Date : until.Date.PlusDays(-1);
        }

        return null;
    }

    private static bool TryDate(string text, out LocalDate date)
    {
        date = default;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ymd))
        {
            return false;
        }

        var (y, m, d) = (ymd / 10000, ymd / 100 % 100, ymd % 100);
        if (y is < 1 or > 9999 || m is < 1 or > 12 || d < 1 || d > CalendarSystem.Iso.GetDaysInMonth(y, m))
        {
            return false;
        }

        date = new LocalDate(y, m, d);
        return true;
    }

    private static string Shown(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static Common.DomainRuleException Refused(string message) => new("recurrence.rrule", message);
}
