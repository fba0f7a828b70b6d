using System.Globalization;
using System.Text;

namespace Organizer.UnitTests.Feeds;

/// <summary>
/// Just enough of a reader to check what our writer wrote: unfolding, and a time zone's offset computed from the
/// observances of the file's own VTIMEZONE (Ical.Net resolves a TZID by its id, so it cannot check those).
/// </summary>
internal static class IcsText
{
    public sealed record Observance(string Kind, DateTime Local, TimeSpan From, TimeSpan To, string? Name)
    {
        /// <summary>RFC 5545 §3.6.5: DTSTART is a wall time in the offset in force before the observance.</summary>
        public DateTime OnsetUtc => Local - From;
    }

    public static string Unfold(string text) => text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal);

    public static string[] Lines(string text) => Unfold(text).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The value of every line named <paramref name="name"/> (parameters included in the name part are skipped).</summary>
    public static IEnumerable<string> Values(string text, string name) =>
        Lines(text).Where(l => l.StartsWith(name + ":", StringComparison.Ordinal) || l.StartsWith(name + ";", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]);

    public static string Unescape(string value)
    {
        var text = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                text.Append(value[i] is 'n' or 'N' ? '\n' : value[i]);
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }

    public static List<Observance> Observances(string text, string tzid)
    {
        var lines = Lines(text);
        var begin = Array.IndexOf(lines, "BEGIN:VTIMEZONE");
        while (begin >= 0 && lines[begin + 1] != "TZID:" + tzid)
        {
            begin = Array.IndexOf(lines, "BEGIN:VTIMEZONE", begin + 1);
        }

        Assert.True(begin >= 0, $"No VTIMEZONE for {tzid}");
        var found = new List<Observance>();
        string? kind = null;
        DateTime local = default;
        TimeSpan from = default, to = default;
        string? name = null;
        for (var i = begin + 2; lines[i] != "END:VTIMEZONE"; i++)
        {
            var line = lines[i];
            if (line is "BEGIN:STANDARD" or "BEGIN:DAYLIGHT")
            {
                kind = line[6..];
                name = null;
            }
            else if (line.StartsWith("DTSTART:", StringComparison.Ordinal))
            {
                local = DateTime.ParseExact(line[8..], "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("TZOFFSETFROM:", StringComparison.Ordinal))
            {
                from = Offset(line[13..]);
            }
            else if (line.StartsWith("TZOFFSETTO:", StringComparison.Ordinal))
            {
                to = Offset(line[11..]);
            }
            else if (line.StartsWith("TZNAME:", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line == "END:" + kind)
            {
                found.Add(new Observance(kind!, local, from, to, name));
            }
            else
            {
                Assert.Fail($"Unexpected line in a VTIMEZONE: {line}");
            }
        }

        return found;
    }

    /// <summary>The UTC instant a TZID wall time means by the file's VTIMEZONE: the observance in force at that instant.</summary>
    public static DateTime ToUtc(string text, string tzid, DateTime local)
    {
        var observances = Observances(text, tzid).OrderBy(o => o.OnsetUtc).ToList();
        for (var i = 0; i < observances.Count; i++)
        {
            var utc = local - observances[i].To;
            var next = i + 1 < observances.Count ? observances[i + 1].OnsetUtc : DateTime.MaxValue;
            if (observances[i].OnsetUtc <= utc && utc < next)
            {
                return utc;
            }
        }

        throw new InvalidOperationException($"{local:s} is not covered by the VTIMEZONE of {tzid}");
    }

    /// <summary>The DTSTART of the one VEVENT as a UTC instant, read through the file's own VTIMEZONE.</summary>
    public static DateTime StartUtc(string text, string property = "DTSTART")
    {
        var line = Lines(text).SkipWhile(l => l != "BEGIN:VEVENT").Single(l => l.StartsWith(property + ";", StringComparison.Ordinal) || l.StartsWith(property + ":", StringComparison.Ordinal));
        var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..];
        if (value.EndsWith('Z'))
        {
            return DateTime.ParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        }

        var tzid = line[(line.IndexOf("TZID=", StringComparison.Ordinal) + 5)..line.IndexOf(':', StringComparison.Ordinal)];
        return ToUtc(text, tzid, DateTime.ParseExact(value, "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture));
    }

    private static TimeSpan Offset(string text)
    {
        var sign = text[0] == '-' ? -1 : 1;
        var seconds = int.Parse(text[1..3], CultureInfo.InvariantCulture) * 3600 + int.Parse(text[3..5], CultureInfo.InvariantCulture) * 60
            + (text.Length > 5 ? int.Parse(text[5..7], CultureInfo.InvariantCulture) : 0);
        return TimeSpan.FromSeconds(sign * seconds);
    }
}
