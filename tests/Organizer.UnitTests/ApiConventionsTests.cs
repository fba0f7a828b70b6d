using Organizer.Application.Common;
using Organizer.Application.Common.Models;
using Organizer.Domain.Events;

namespace Organizer.UnitTests;

public sealed class ApiConventionsTests
{
    [Theory]
    [InlineData(ParticipationRole.CoOrganizer, "co-organizer")]
    [InlineData(EventKind.TeachIn, "teach-in")]
    [InlineData(EventKind.OnlineAction, "online-action")]
    public void EnumValues_AreLowerCaseKebab(object value, string expected)
    {
        var text = value switch
        {
            ParticipationRole r => r.ToKebab(),
            EventKind k => k.ToKebab(),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };

        Assert.Equal(expected, text);
    }

    [Fact]
    public void KebabNames_ParseBackCaseInsensitively()
    {
        Assert.True(KebabEnum.TryParse<EventKind>("Teach-In", out var kind));
        Assert.Equal(EventKind.TeachIn, kind);
        Assert.False(KebabEnum.TryParse<EventKind>("TeachIn", out _));
        Assert.False(KebabEnum.TryParse<EventKind>("3", out _));
    }

    [Fact]
    public void Cursor_RoundTrips()
    {
        var cursor = new Cursor(new DateTimeOffset(2019, 11, 12, 5, 0, 0, TimeSpan.Zero), Guid.NewGuid());

        Assert.True(Cursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Fact]
    public void Cursor_AtAnOccurrence_RoundTrips_AndOneAtAnEvent_IsWrittenAsBefore()
    {
        var at = new DateTimeOffset(2030, 1, 3, 23, 0, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();
        var occurrence = new Cursor(at, id, new DateOnly(2030, 1, 3));

        Assert.True(Cursor.TryDecode(occurrence.Encode(), out var decoded));
        Assert.Equal(occurrence, decoded);

        // A cursor issued before series existed ("v1|ticks|id") still reads, as a position at an event.
        var old = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($"v1|{at.UtcTicks}|{id:N}"));
        Assert.Equal(old, new Cursor(at, id).Encode());
        Assert.True(Cursor.TryDecode(old, out var earlier));
        Assert.Equal(new Cursor(at, id), earlier);
        Assert.Null(earlier.Occurrence);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("djF8MTIzfG5vdC1hLWd1aWQ")]
    [InlineData("%%%")]
    [InlineData("")]
    public void Cursor_Garbage_IsRejected(string text) => Assert.False(Cursor.TryDecode(text, out _));

    [Theory]
    [InlineData("Montréal", "montreal")]
    [InlineData("Saint-Jean sur  Richelieu", "saint-jean-sur-richelieu")]
    [InlineData("Lima", "lima")]
    public void Slugs_DropAccentsAndPunctuation(string text, string slug) => Assert.Equal(slug, Slugs.From(text));
}
