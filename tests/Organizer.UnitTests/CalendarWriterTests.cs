using Organizer.Application.Common.Models;
using Organizer.Application.Feeds;
using Organizer.Domain.Events;

namespace Organizer.UnitTests;

public sealed class CalendarWriterTests
{
    private static readonly DateTimeOffset Changed = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nul_AndOtherControlCharacters_NeverReachTheFile_ButNewlinesAndTabsSurviveEscaped()
    {
        var text = Write(Event("Rally\0 now\u0007", "Line one\r\nLine two\tend\u001b"));

        Assert.DoesNotContain('\0', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("SUMMARY:Rally now", text);
        Assert.Contains("Line one\\nLine two\tend", text);
    }

    [Fact]
    public void CrLfInATitle_StaysInsideItsProperty()
    {
        var text = Write(Event("Rally\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@example", null));

        Assert.Equal(1, CountLines(text, "BEGIN:VEVENT"));
        Assert.Equal(1, CountLines(text, "END:VEVENT"));
        Assert.DoesNotContain("\r\nUID:evil@example", text);
    }

    [Fact]
    public void AllDayEvent_HasAnExclusiveDateEnd_AndNoTimeZone()
    {
        var text = Write(Event("Assembly", null, EventSchedule.AllDayRange(new DateOnly(2022, 6, 1), new DateOnly(2022, 6, 4), "America/Toronto")));

        Assert.Contains("DTSTART;VALUE=DATE:20220601", text);
        Assert.Contains("DTEND;VALUE=DATE:20220605", text);
        Assert.DoesNotContain("BEGIN:VTIMEZONE", text);
    }

    [Fact]
    public void Uid_IsTheIdAtTheConfiguredDomain_AndDtstampIsTheLastChange()
    {
        var e = Event("Rally", null);

        var text = Write(e);

        Assert.Contains($"UID:{e.Id:D}@example.org", text);
        Assert.Contains("DTSTAMP:20261101T100000Z", text);
        Assert.Contains("LAST-MODIFIED:20261101T100000Z", text);
        Assert.DoesNotContain("METHOD:", text);
    }

    private static string Write(FeedEvent e) =>
        System.Text.Encoding.UTF8.GetString(CalendarWriter.Write(new FeedHeader("Organizer — test", "test"), [e], slug => $"https://organizer.example/api/events/{slug}", "example.org"));

    private static int CountLines(string text, string line) => text.Split("\r\n").Count(l => l == line);

    private static FeedEvent Event(string title, string? description, EventSchedule? schedule = null) => new(
        Guid.NewGuid(), "slug", title, EventKind.Rally, EventStatus.Scheduled,
        schedule ?? EventSchedule.Timed(new DateTime(2026, 12, 5, 14, 0, 0), null, "America/Toronto"),
        null, null, description, null, null, null, null, null, null, null, null,
        [], [], null, [], [], Array.Empty<SourceDto>(), 0, Changed, Changed);
}
