using Organizer.Application.Common.Validation;

namespace Organizer.UnitTests;

public sealed class PageLimitTests
{
    private static readonly PageLimit Limits = new(Default: 20, Max: 100);

    [Theory]
    [InlineData(null, 20)]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    [InlineData("007", 7)]
    public void Limit_ParsesDigitsWithinRange_OrDefaultsWhenAbsent(string? text, int expected)
    {
        Assert.True(Limits.IsValid(text));
        Assert.Equal(expected, Limits.Parse(text));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("1,000")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void Limit_RefusesAnythingButPlainDigitsInRange(string text)
    {
        Assert.False(Limits.IsValid(text));
        Assert.Throws<ArgumentException>(() => Limits.Parse(text));
    }

    [Fact]
    public void Message_NamesTheRange() =>
        Assert.Equal("'limit' must be a whole number from 1 to 100.", Limits.Message);
}
