using System.Buffers;
using System.Text;
using Organizer.Application.Feeds.Ics;

namespace Organizer.UnitTests.Feeds;

public sealed class ContentLineWriterTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static TheoryData<string> Tails => new()
    {
        "😀😀😀😀😀😀😀😀😀😀",           // 4-octet UTF-8, surrogate pairs in UTF-16
        "e\u0301e\u0301e\u0301e\u0301e\u0301", // combining accents
        "שלום עולם مرحبا بالعالم",         // right-to-left, 2-octet
        "日本語のテキスト日本語",             // 3-octet
        "a\\b;c,d\ne\\n",                    // escapes, which must stay whole
        "👩🏽‍🚒👩🏽‍🚒👩🏽‍🚒",                    // a ZWJ sequence
    };

    [Theory]
    [MemberData(nameof(Tails))]
    public void Folding_AtEveryOffsetAround75_KeepsLinesShort_UtfWhole_AndUnfoldsToTheText(string tail)
    {
        for (var pad = 50; pad <= 80; pad++)
        {
            var text = new string('x', pad) + tail + tail;

            var bytes = Write((ref ContentLineWriter w) => w.TextLine("SUMMARY", text));

            var output = StrictUtf8.GetString(bytes); // throws on a split UTF-8 sequence
            Assert.DoesNotContain('\uFFFD', output);
            Assert.EndsWith("\r\n", output);
            foreach (var line in output[..^2].Split("\r\n"))
            {
                Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"{Encoding.UTF8.GetByteCount(line)} octets: {line}");
            }

            var value = IcsText.Unfold(output)[..^2];
            Assert.StartsWith("SUMMARY:", value);
            Assert.Equal(text, IcsText.Unescape(value["SUMMARY:".Length..]));
        }
    }

    [Fact]
    public void AFoldedLine_ContinuesWithOneSpace_ThatCountsTowardIts75()
    {
        var output = Encoding.UTF8.GetString(Write((ref ContentLineWriter w) => w.TextLine("DESCRIPTION", new string('a', 200))));

        var lines = output[..^2].Split("\r\n");
        Assert.Equal(75, lines[0].Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith(" a", l));
        Assert.All(lines.Skip(1).SkipLast(1), l => Assert.Equal(75, l.Length));
    }

    [Fact]
    public void Text_EscapesBackslashSemicolonCommaAndNewline()
    {
        var output = Encoding.UTF8.GetString(Write((ref ContentLineWriter w) => w.TextLine("SUMMARY", "a\\b;c,d\ne:f")));

        Assert.Equal("SUMMARY:a\\\\b\\;c\\,d\\ne:f\r\n", output);
    }

    [Fact]
    public void Text_DropsControlCharactersLoneSurrogatesAndNonCharacters_ButKeepsTabs()
    {
        var output = Encoding.UTF8.GetString(Write((ref ContentLineWriter w) => w.TextLine("SUMMARY", "a\0b\u0007c\u001bd\u007fe\u0085f\tg\ud800h\udc00i\uFFFEj\uFFFFk\ud83d")));

        Assert.Equal("SUMMARY:abcdef\tghijk\r\n", output);
    }

    [Fact]
    public void Text_LineBreaksOfAnyKind_BecomeOneEscapedNewline()
    {
        var output = Encoding.UTF8.GetString(Write((ref ContentLineWriter w) => w.TextLine("DESCRIPTION", "one\r\ntwo\rthree\nfour")));

        Assert.Equal("DESCRIPTION:one\\ntwo\\nthree\\nfour\r\n", output);
    }

    [Fact]
    public void Raw_IsNotEscaped_ButCannotBreakTheLine()
    {
        var output = Encoding.UTF8.GetString(Write((ref ContentLineWriter w) => w.RawLine("URL", "https://x.example/a,b;c\r\nEND:VEVENT")));

        Assert.Equal("URL:https://x.example/a,b;cEND:VEVENT\r\n", output);
    }

    [Fact]
    public void Parameter_IsQuotedOnlyWhenItMustBe()
    {
        var output = Encoding.UTF8.GetString(Write((ref ContentLineWriter w) =>
        {
            w.Start("X-TEST");
            w.Parameter("TZID", "America/Toronto");
            w.Parameter("X-NOTE", "a:b\"c");
            w.Colon();
            w.Raw("1");
            w.End();
        }));

        Assert.Equal("X-TEST;TZID=America/Toronto;X-NOTE=\"a:bc\":1\r\n", output);
    }

    private delegate void Writing(ref ContentLineWriter w);

    private static byte[] Write(Writing write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new ContentLineWriter(buffer);
        write(ref w);
        return buffer.WrittenSpan.ToArray();
    }
}
