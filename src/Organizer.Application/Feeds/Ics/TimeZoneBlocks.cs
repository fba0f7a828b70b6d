using System.Buffers;
using System.Collections.Concurrent;
using NodaTime;
using NodaTime.TimeZones;
using Organizer.Domain.Events;

namespace Organizer.Application.Feeds.Ics;

/// <summary>
/// VTIMEZONE components from NodaTime's tz database, the same rules the stored instants were computed with.
/// </summary>
/// <remarks>
/// Each transition in range is one explicit observance (no RRULE): a zone whose rules changed (Sao_Paulo 2019,
/// Apia 2021, Kathmandu 1986) is then right in every year, and every parser reads plain observances the same way.
/// A series without an end has no last year: its zone gets the explicit observances up to the year from which the
/// zone's rules repeat unchanged, then those rules as yearly RRULE observances, so that a calendar expanding the
/// series years ahead still finds each date's offset (without them it would keep the last observance's for ever).
/// </remarks>
public static class TimeZoneBlocks
{
    /// <summary>What a first observance starts at when its zone interval reaches back to the start of time.</summary>
    private static readonly LocalDateTime LongAgo = new(1600, 1, 1, 0, 0);

    // Keys are (zone, first year, last year): a few per zone in practice. The bound only guards against a flood of
    // odd ranges; clearing is cheap because a block renders in microseconds.
    private const int CacheLimit = 1024;
    private static readonly ConcurrentDictionary<(string Zone, int FirstYear, int LastYear, bool Open), byte[]> Cache = new();

    /// <summary>How many years in a row must follow the same yearly rules before they are written as RRULEs: the
    /// Gregorian calendar's weekdays repeat every 28 years (between century years).</summary>
    private const int RepeatYears = 28;

    /// <summary>The last year written out explicitly for a zone whose rules never settle into a yearly pattern in tzdb
    /// (Morocco's Ramadan changes are listed to 2087): later dates keep the last offset.</summary>
    private const int LastExplicitYear = 2100;

    /// <summary>
    /// The VTIMEZONE for <paramref name="zoneId"/>, covering whole UTC years from <paramref name="earliest"/>'s to
    /// <paramref name="latest"/>'s, so that feeds whose events move a little still share one rendering; with
    /// <paramref name="open"/> (a series without an end), every year after too.
    /// </summary>
    /// <exception cref="Domain.Common.DomainRuleException">The zone is not in the tz database.</exception>
    public static byte[] For(string zoneId, DateTimeOffset earliest, DateTimeOffset latest, bool open = false)
    {
        var key = (zoneId, earliest.UtcDateTime.Year, Math.Max(earliest.UtcDateTime.Year, latest.UtcDateTime.Year), open);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var buffer = new ArrayBufferWriter<byte>(2048);
        Write(buffer, EventSchedule.FindZone(zoneId), zoneId, key.Item2, key.Item3, open);
        var bytes = buffer.WrittenSpan.ToArray();
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache[key] = bytes;
        return bytes;
    }

    private static void Write(IBufferWriter<byte> output, DateTimeZone zone, string zoneId, int firstYear, int lastYear, bool open)
    {
        var w = new ContentLineWriter(output);
        w.RawLine("BEGIN", "VTIMEZONE");
        w.TextLine("TZID", zoneId);

        // An open use: explicit observances until the rules start repeating, then the repeating rules.
        Tail? tail = null;
        if (open)
        {
            tail = Tail.Find(zone, lastYear + 1);
            lastYear = tail is { } found ? found.FromYear - 1 : Math.Max(lastYear, LastExplicitYear);
        }

        var start = Instant.FromUtc(firstYear, 1, 1, 0, 0);
        var end = Instant.FromUtc(lastYear + 1, 1, 1, 0, 0);
        ZoneInterval? previous = null;
        foreach (var interval in zone.GetZoneIntervals(start, end))
        {
            if (previous is null)
            {
                // The rules already in force when the range starts. FROM = TO, and DTSTART is the interval's own start
                // read in that offset, so the observance means the same instant whichever offset a parser reads it in;
                // a zone with no transition in range (Asia/Kolkata) gets just this one block.
                var onset = interval.HasStart ? interval.Start.WithOffset(interval.WallOffset).LocalDateTime : LongAgo;
                Observance(ref w, interval, onset, interval.WallOffset);
            }
            else
            {
                // RFC 5545 §3.6.5: an observance's DTSTART is the wall time at the change as shown in TZOFFSETFROM.
                Observance(ref w, interval, interval.Start.WithOffset(previous.WallOffset).LocalDateTime, previous.WallOffset);
            }

            previous = interval;
        }

        foreach (var rule in tail?.Rules ?? [])
        {
            Observance(ref w, rule.Kind, rule.Onset, rule.RRule, rule.From, rule.To, rule.Name);
        }

        w.RawLine("END", "VTIMEZONE");
    }

    private static void Observance(ref ContentLineWriter w, ZoneInterval interval, LocalDateTime onset, Offset from) =>
        // Savings, not the sign of the change, decides the kind: Europe/Dublin's winter is tzdb's (negative) daylight time.
        // Clients go by the offsets; the kind is only a label.
        Observance(ref w, interval.Savings != Offset.Zero ? "DAYLIGHT" : "STANDARD", onset, null, from, interval.WallOffset, interval.Name);

    /// <param name="rrule">How the observance repeats, for the yearly rules at the end of an open zone; null for one change.</param>
    private static void Observance(ref ContentLineWriter w, string kind, LocalDateTime onset, string? rrule, Offset from, Offset to, string name)
    {
        w.RawLine("BEGIN", kind);
        w.Start("DTSTART");
        w.Colon();
        w.DateTimeValue(onset);
        w.End();
        if (rrule is not null)
        {
            w.RawLine("RRULE", rrule);
        }

        w.Start("TZOFFSETFROM");
        w.Colon();
        w.OffsetValue(from);
        w.End();
        w.Start("TZOFFSETTO");
        w.Colon();
        w.OffsetValue(to);
        w.End();
        if (name.Length > 0)
        {
            w.TextLine("TZNAME", name);
        }

        w.RawLine("END", kind);
    }

    /// <summary>One yearly change of offset, as an RRULE observance from its first year on.</summary>
    private sealed record TailRule(string Kind, LocalDateTime Onset, string RRule, Offset From, Offset To, string Name);

    /// <summary>
    /// The zone's rules from <see cref="FromYear"/> on, where every year has the same changes (same month, same rule
    /// for the day, same time, same offsets) for <see cref="RepeatYears"/> years: tzdb's standing rules. A zone with no
    /// change left has no rules, and its last explicit observance holds.
    /// </summary>
    private sealed record Tail(int FromYear, IReadOnlyList<TailRule> Rules)
    {
        public static Tail? Find(DateTimeZone zone, int fromYear)
        {
            var years = new Dictionary<int, List<Change>>();
            List<Change> ChangesIn(int year)
            {
                if (!years.TryGetValue(year, out var changes))
                {
                    // Read a little around the year and keep the changes whose local onset falls in it: rules are local.
                    changes = [];
                    ZoneInterval? previous = null;
                    foreach (var interval in zone.GetZoneIntervals(Instant.FromUtc(year - 1, 12, 30, 0, 0), Instant.FromUtc(year + 1, 1, 3, 0, 0)))
                    {
                        if (previous is not null)
                        {
                            var onset = interval.Start.WithOffset(previous.WallOffset).LocalDateTime;
                            if (onset.Year == year)
                            {
                                changes.Add(new Change(onset, previous.WallOffset, interval.WallOffset, interval.Name, interval.Savings != Offset.Zero));
                            }
                        }

                        previous = interval;
                    }

                    years[year] = changes;
                }

                return changes;
            }

            for (var start = fromYear; start <= LastExplicitYear; start++)
            {
                var first = ChangesIn(start);
                var days = first.Select(c => DayRules(c.Onset.Date)).ToList();
                var same = true;
                for (var year = start + 1; same && year < start + RepeatYears; year++)
                {
                    var changes = ChangesIn(year);
                    same = changes.Count == first.Count;
                    for (var i = 0; same && i < changes.Count; i++)
                    {
                        var (a, b) = (first[i], changes[i]);
                        same = a.Onset.Month == b.Onset.Month && a.Onset.TimeOfDay == b.Onset.TimeOfDay && a.From == b.From && a.To == b.To
                            && a.Name == b.Name && a.Daylight == b.Daylight;
                        if (same)
                        {
                            days[i] = [.. days[i].Intersect(DayRules(b.Onset.Date))];
                            same = days[i].Count > 0;
                        }
                    }
                }

                if (same)
                {
                    return new Tail(start, [.. first.Select((c, i) => new TailRule(
                        c.Daylight ? "DAYLIGHT" : "STANDARD", c.Onset, $"FREQ=YEARLY;BYMONTH={c.Onset.Month};{days[i][0]}", c.From, c.To, c.Name))]);
                }
            }

            return null;
        }

        /// <summary>
        /// The RRULE parts that pick <paramref name="date"/> within its month, most specific first: the nth or last
        /// weekday (tzdb's "Sun>=8", "lastSun"), a fixed day, or a weekday on or after a day (tzdb's "Fri>=23").
        /// </summary>
        private static List<string> DayRules(LocalDate date)
        {
            var day = new WeekdayRule(null, date.DayOfWeek).ToString();
            var daysInMonth = date.Calendar.GetDaysInMonth(date.Year, date.Month);
            var rules = new List<string>();
            if ((date.Day - 1) / 7 < 4)
            {
                rules.Add($"BYDAY={(date.Day - 1) / 7 + 1}{day}");
            }

            if (date.Day > daysInMonth - 7)
            {
                rules.Add($"BYDAY=-1{day}");
            }

            rules.Add($"BYMONTHDAY={date.Day}");
            for (var from = Math.Max(1, date.Day - 6); from <= date.Day && from + 6 <= 28; from++)
            {
                rules.Add($"BYDAY={day};BYMONTHDAY={string.Join(',', Enumerable.Range(from, 7))}");
            }

            return rules;
        }
    }

    private sealed record Change(LocalDateTime Onset, Offset From, Offset To, string Name, bool Daylight);
}
