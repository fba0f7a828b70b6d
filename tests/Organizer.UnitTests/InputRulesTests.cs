using Organizer.Application.Common.Validation;
using Organizer.Application.Common;

namespace Organizer.UnitTests;

public sealed class InputRulesTests
{
    [Theory]
    [InlineData("Rally for Bolivia")]
    [InlineData("Montréal, 𝕽𝖆𝖑𝖑𝖞 \ud83d\udca5")]
    [InlineData("\ufffd\ufdcf\ufdf0\ufffd")]
    [InlineData("\U0001FFFD \U0010FFFD")]
    [InlineData("")]
    [InlineData(null)]
    public void SafeText_AcceptsAnyRealText(string? text) => Assert.True(SafeText.IsSingleLine(text));

    [Theory]
    [InlineData("\u0000")]
    [InlineData("a\u0007")]
    [InlineData("a\u009f")]
    [InlineData("\ufdd0")]
    [InlineData("\ufdef")]
    [InlineData("\ufffe")]
    [InlineData("\uffff")]
    [InlineData("\U0001FFFE")]
    [InlineData("\U0001FFFF")]
    [InlineData("\U0008FFFF")]
    [InlineData("\U0010FFFE")]
    [InlineData("\U0010FFFF")]
    public void SafeText_RefusesWhatNoOutputCanCarry(string text)
    {
        Assert.False(SafeText.IsSingleLine(text));
        Assert.False(SafeText.IsMultiline(text));
    }

    /// <summary>Built at run time: test-case data goes through UTF-8, which turns a lone surrogate into U+FFFD.</summary>
    [Fact]
    public void SafeText_RefusesUnpairedSurrogates()
    {
        const char high = (char)0xD800, low = (char)0xDC00;
        foreach (var text in new[] { $"a{high}", $"{high}b", $"a{low}b", $"{low}{high}", $"{high}{high}{low}" })
        {
            Assert.False(SafeText.IsSingleLine(text), string.Join(' ', text.Select(c => $"U+{(int)c:X4}")));
            Assert.False(SafeText.IsMultiline(text));
        }

        Assert.True(SafeText.IsSingleLine($"{high}{low}"));
    }

    [Theory]
    [InlineData("line one\nline two")]
    [InlineData("crlf\r\n\tindented")]
    public void SafeText_Multiline_KeepsNewlineAndTab_SingleLineDoesNot(string text)
    {
        Assert.True(SafeText.IsMultiline(text));
        Assert.False(SafeText.IsSingleLine(text));
    }

    [Theory]
    [InlineData("America/Toronto")]
    [InlineData("America/Argentina/Buenos_Aires")]
    [InlineData("America/Port-au-Prince")]
    [InlineData("Etc/GMT+5")]
    [InlineData("UTC")]
    public void Zone_LocationIds_AreAccepted(string zone) => Assert.Null(Times.ZoneProblem(zone));

    [Theory]
    [InlineData("localtime", "Area/Location")]
    [InlineData("Factory", "Area/Location")]
    [InlineData("posixrules", "Area/Location")]
    [InlineData("right/America/Toronto", "Area/Location")]
    [InlineData("America/toronto", "America/Toronto")]
    [InlineData("US/Eastern", "America/New_York")]
    [InlineData("Eastern Standard Time", "America/New_York")]
    [InlineData("America/Toronto\u0000", "Area/Location")]
    [InlineData("Mars/Base", "Area/Location")]
    public void Zone_OtherIds_AreRefusedWithWhatToUse(string zone, string suggested) =>
        Assert.Contains(suggested, Times.ZoneProblem(zone) ?? "(accepted)");

    [Theory]
    [InlineData("1800-01-01", true)]
    [InlineData("2200-12-31", true)]
    [InlineData("2200-12-31T23:59:59", true)]
    [InlineData("1799-12-31", false)]
    [InlineData("1799-12-31T23:59", false)]
    [InlineData("2201-01-01", false)]
    [InlineData("0001-01-01", false)]
    [InlineData("9999-12-31T23:59:59", false)]
    [InlineData("not a date", true)]
    public void Dates_AreBoundedToTheYearsEveryOutputCanShow(string text, bool within) =>
        Assert.Equal(within, Times.IsWithinBounds(text));
}
