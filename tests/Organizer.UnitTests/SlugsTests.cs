using Organizer.Application.Common;

namespace Organizer.UnitTests;

public sealed class SlugsTests
{
    [Theory]
    [InlineData("Montréal", "montreal")]
    [InlineData("Montre\u0301al", "montreal")]
    [InlineData("Saint-Jean sur  Richelieu", "saint-jean-sur-richelieu")]
    [InlineData("Ça ira, mon amie!", "ca-ira-mon-amie")]
    [InlineData("Zürich", "zurich")]
    public void From_StripsAccentsAsBefore(string text, string slug) => Assert.Equal(slug, Slugs.From(text));

    [Fact]
    public void From_MakesOneSlugOfACityHoweverItIsAccented() =>
        Assert.Equal(Slugs.From("Montreal"), Slugs.From("MONTRÉAL"));

    [Theory]
    [InlineData("Москва", "moskva")]
    [InlineData("Łódź", "lodz")]
    [InlineData("Straße", "strasse")]
    [InlineData("日本語", "ribenyu")]
    [InlineData("한국어", "hangugeo")]
    [InlineData("Ελλάδα", "ellada")]
    [InlineData("Тверь", "tver")]
    [InlineData("٣ أكتوبر", "3-ktwbr")]
    [InlineData("🌹 Rose Collective ✊", "rose-collective")]
    public void From_TransliteratesOtherScripts(string text, string slug) => Assert.Equal(slug, Slugs.From(text));

    [Theory]
    [InlineData("!!!")]
    [InlineData("✊🏽")]
    [InlineData("…")]
    [InlineData("")]
    public void From_TextWithoutLettersOrDigits_IsEmpty(string text) => Assert.Equal("", Slugs.From(text));

    [Theory]
    [InlineData("\ud800")]
    [InlineData("a\udc00b")]
    [InlineData("\udc00\ud800")]
    [InlineData("title\ufffe")]
    [InlineData("\uffff")]
    [InlineData("\0")]
    [InlineData("a\0b")]
    [InlineData("\ufdd0")]
    [InlineData("😀🏳️‍🌈")]
    [InlineData("\U0010FFFF")]
    public void From_NeverThrows_AndGivesAWellFormedSlugOrNothing(string text)
    {
        var slug = Slugs.From(text);

        Assert.True(slug.Length == 0 || Slugs.IsWellFormed(slug), slug);
    }

    [Fact]
    public void From_NeverThrows_OnAnyCodePoint()
    {
        for (var c = 0; c <= 0x10FFFF; c++)
        {
            var text = c is >= 0xD800 and <= 0xDFFF ? ((char)c).ToString() : char.ConvertFromUtf32(c);
            var slug = Slugs.From($"a{text}b");
            Assert.True(Slugs.IsWellFormed(slug), $"U+{c:X4} gave '{slug}'");
        }
    }

    [Fact]
    public void FromId_IsShortStableAndWellFormed()
    {
        var id = Guid.CreateVersion7();

        Assert.Equal(Slugs.FromId(id), Slugs.FromId(id));
        Assert.Matches("^[0-9a-f]{8}$", Slugs.FromId(id));
    }

    [Fact]
    public void FromId_TakesTheRandomPartOfATimeOrderedId()
    {
        // Version 7 ids made in the same millisecond share their leading digits; the slug must not.
        var ids = Enumerable.Range(0, 1000).Select(_ => Guid.CreateVersion7()).ToList();

        Assert.True(ids.Select(Slugs.FromId).Distinct().Count() > 990);
    }

    [Theory]
    [InlineData("abc-def-ghi", 4, "abc")]
    [InlineData("abc-def-ghi", 5, "abc-d")]
    [InlineData("abc-def-ghi", 7, "abc-def")]
    [InlineData("abc", 5, "abc")]
    public void Truncate_CutsAtTheLimit_WithoutATrailingDash(string slug, int limit, string expected) =>
        Assert.Equal(expected, Slugs.Truncate(slug, limit));
}
