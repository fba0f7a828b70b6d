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
/// </remarks>
public static class TimeZoneBlocks
{
    /// <summary>What a first observance starts at when its zone interval reaches back to the start of time.</summary>
    private static readonly LocalDateTime LongAgo = new(1600, 1, 1, 0, 0);

    // Keys are (zone, first year, last year): a few per zone in practice. The bound only guards against a flood of
    // odd ranges; clearing is cheap because a block renders in microseconds.
    private const int CacheLimit = 1024;
    private static readonly ConcurrentDictionary<(string Zone, int FirstYear, int LastYear), byte[]> Cache = new();

    /// <summary>
    /// The VTIMEZONE for <paramref name="zoneId"/>, covering whole UTC years from <paramref name="earliest"/>'s to
    /// <paramref name="latest"/>'s, so that feeds whose events move a little still share one rendering.
    /// </summary>
    /// <exception cref="Domain.Common.DomainRuleException">The zone is not in the tz database.</exception>
    public static byte[] For(string zoneId, DateTimeOffset earliest, DateTimeOffset latest)
    {
        var key = (zoneId, earliest.UtcDateTime.Year, Math.Max(earliest.UtcDateTime.Year, latest.UtcDateTime.Year));
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var buffer = new ArrayBufferWriter<byte>(2048);
        Write(buffer, EventSchedule.FindZone(zoneId), zoneId, key.Item2, key.Item3);
        var bytes = buffer.WrittenSpan.ToArray();
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache[key] = bytes;
        return bytes;
    }

    private static void Write(IBufferWriter<byte> output, DateTimeZone zone, string zoneId, int firstYear, int lastYear)
    {
        var w = new ContentLineWriter(output);
        w.RawLine("BEGIN", "VTIMEZONE");
        w.TextLine("TZID", zoneId);

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

        w.RawLine("END", "VTIMEZONE");
    }

    private static void Observance(ref ContentLineWriter w, ZoneInterval interval, LocalDateTime onset, Offset from)
    {
        // Savings, not the sign of the change, decides the kind: Europe/Dublin's winter is tzdb's (negative) daylight time.
        // Clients go by the offsets; the kind is only a label.
        var kind = interval.Savings != Offset.Zero ? "DAYLIGHT" : "STANDARD";
        w.RawLine("BEGIN", kind);
        w.Start("DTSTART");
        w.Colon();
        w.DateTimeValue(onset);
        w.End();
        w.Start("TZOFFSETFROM");
        w.Colon();
        w.OffsetValue(from);
        w.End();
        w.Start("TZOFFSETTO");
        w.Colon();
        w.OffsetValue(interval.WallOffset);
        w.End();
        if (interval.Name.Length > 0)
        {
            w.TextLine("TZNAME", interval.Name);
        }

        w.RawLine("END", kind);
    }
}
