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
