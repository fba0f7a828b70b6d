using System.Buffers;
using System.Globalization;
using System.Text;
using NodaTime;

namespace Organizer.Application.Feeds.Ics;

/// <summary>
/// Writes RFC 5545 content lines (<c>NAME;PARAM=VALUE:value</c> + CRLF) as UTF-8 straight into a buffer writer,
/// folding at 75 octets. A line is built in pieces: <see cref="Start"/>, any <see cref="Parameter"/>s,
/// <see cref="Colon"/>, then <see cref="Text(ReadOnlySpan{char})"/> and <see cref="Raw"/> pieces, then <see cref="End"/>.
/// </summary>
/// <remarks>
/// Folding counts octets, not chars: a fold goes only between whole code points, so it can split neither a UTF-8
/// sequence nor a surrogate pair, and an escape such as <c>\n</c> is kept on one line. Each finished line is committed
/// to the output, so a writer may be dropped between lines.
/// </remarks>
public ref struct ContentLineWriter(IBufferWriter<byte> output)
{
    /// <summary>RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.</summary>
    public const int MaxLineOctets = 75;

    private Span<byte> span;
    private int written;
    private int lineOctets;

    /// <summary>A whole line whose value is TEXT.</summary>
    public void TextLine(string name, scoped ReadOnlySpan<char> text)
    {
        Start(name);
        Colon();
        Text(text);
        End();
    }

    /// <summary>A whole line whose value is written as it is (a URI, a date, a number, a keyword).</summary>
    public void RawLine(string name, scoped ReadOnlySpan<char> value)
    {
        Start(name);
        Colon();
        Raw(value);
        End();
    }

    public void Start(string name)
    {
        lineOctets = 0;
        Raw(name);
    }

    /// <summary><c>;NAME=value</c>, quoting a value that holds <c>:</c>, <c>;</c> or <c>,</c> (a quote itself cannot be written).</summary>
    public void Parameter(string name, scoped ReadOnlySpan<char> value)
    {
        Put(';');
        Raw(name);
        Put('=');
        var quote = value.IndexOfAny(":;,") >= 0;
        if (quote)
        {
            Put('"');
        }

        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value != '"')
            {
                Put(rune);
            }
        }

        if (quote)
        {
            Put('"');
        }
    }

    public void Colon() => Put(':');

    /// <summary>
    /// TEXT (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, a line break (LF, CRLF or a lone CR) as <c>\n</c>.
    /// Other control characters but tab are not allowed in TEXT and are dropped, as are unpaired surrogates and the
    /// non-characters U+FFFE/U+FFFF.
    /// </summary>
    public void Text(scoped ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\':
                    PutEscape('\\');
                    continue;
                case ';':
                    PutEscape(';');
                    continue;
                case ',':
                    PutEscape(',');
                    continue;
                case '\n':
                    PutEscape('n');
                    continue;
                case '\r':
                    if (i + 1 >= text.Length || text[i + 1] != '\n')
                    {
                        PutEscape('n');
                    }

                    continue;
                case < (char)0x80:
                    if (c == '\t' || !char.IsControl(c))
                    {
                        Put(c);
                    }

                    continue;
            }

            // Beyond ASCII: one code point at a time, so that a fold can never fall inside it.
            if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) == OperationStatus.Done)
            {
                Put(rune);
            }

            i += Math.Max(consumed, 1) - 1;
        }
    }

    /// <summary>Text with no escaping (for values that are not TEXT); control characters are still dropped.</summary>
    public void Raw(scoped ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] < 0x80)
            {
                if (value[i] == '\t' || !char.IsControl(value[i]))
                {
                    Put(value[i]);
                }

                continue;
            }

            if (Rune.DecodeFromUtf16(value[i..], out var rune, out var consumed) == OperationStatus.Done)
            {
                Put(rune);
            }

            i += Math.Max(consumed, 1) - 1;
        }
    }

    /// <summary>A number or date written with the invariant culture.</summary>
    public void Raw<T>(T value, ReadOnlySpan<char> format = default)
        where T : ISpanFormattable
    {
        Span<char> chars = stackalloc char[64];
        if (!value.TryFormat(chars, out var length, format, CultureInfo.InvariantCulture))
        {
            throw new FormatException($"A {typeof(T).Name} value did not fit a content line's buffer.");
        }

        Raw(chars[..length]);
    }

    /// <summary>A DATE value: <c>yyyyMMdd</c>.</summary>
    public void DateValue(DateOnly date)
    {
        Digits(date.Year, 4);
        Digits(date.Month, 2);
        Digits(date.Day, 2);
    }

    /// <summary>A floating or TZID DATE-TIME value, <c>yyyyMMddTHHmmss</c>, to the whole second.</summary>
    public void DateTimeValue(LocalDateTime local)
    {
        Digits(local.Year, 4);
        Digits(local.Month, 2);
        Digits(local.Day, 2);
        Put('T');
        Digits(local.Hour, 2);
        Digits(local.Minute, 2);
        Digits(local.Second, 2);
    }

    /// <summary>A UTC DATE-TIME value, <c>yyyyMMddTHHmmssZ</c>, to the whole second.</summary>
    public void UtcValue(DateTimeOffset instant)
    {
        DateTimeValue(LocalDateTime.FromDateTime(instant.UtcDateTime));
        Put('Z');
    }

    /// <summary>A UTC-OFFSET value: <c>+hhmm</c>, with seconds only when the offset has them (local mean times do).</summary>
    public void OffsetValue(Offset offset)
    {
        var seconds = offset.Seconds;
        Put(seconds < 0 ? '-' : '+');
        seconds = Math.Abs(seconds);
        Digits(seconds / 3600, 2);
        Digits(seconds / 60 % 60, 2);
        if (seconds % 60 != 0)
        {
            Digits(seconds % 60, 2);
        }
    }

    public void End()
    {
        Reserve(2);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
        span = default;
        written = 0;
        lineOctets = 0;
    }

    private void Digits(int value, int count)
    {
        Span<char> digits = stackalloc char[10];
        for (var i = count - 1; i >= 0; i--)
        {
            digits[i] = (char)('0' + (value % 10));
            value /= 10;
        }

        Raw(digits[..count]);
    }

    private void PutEscape(char escaped)
    {
        // "\n" is one unit: a fold between the backslash and its letter is legal, but some parsers unfold after unescaping.
        FoldFor(2);
        Reserve(2);
        span[written++] = (byte)'\\';
        span[written++] = (byte)escaped;
        lineOctets += 2;
    }

    private void Put(char ascii)
    {
        FoldFor(1);
        Reserve(1);
        span[written++] = (byte)ascii;
        lineOctets++;
    }

    private void Put(Rune rune)
    {
        // U+FFFE and U+FFFF are non-characters; control characters are not allowed in any value.
        if (rune.Value is 0xFFFE or 0xFFFF || (Rune.IsControl(rune) && rune.Value != '\t'))
        {
            return;
        }

        var octets = rune.Utf8SequenceLength;
        FoldFor(octets);
        Reserve(octets);
        written += rune.EncodeToUtf8(span[written..]);
        lineOctets += octets;
    }

    /// <summary>Breaks the line first when <paramref name="octets"/> more would pass 75; the continuation's space counts.</summary>
    private void FoldFor(int octets)
    {
        if (lineOctets + octets <= MaxLineOctets)
        {
            return;
        }

        Reserve(3);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        span[written++] = (byte)' ';
        lineOctets = 1;
    }

    private void Reserve(int octets)
    {
        if (span.Length - written >= octets)
        {
            return;
        }

        if (written > 0)
        {
            output.Advance(written);
        }

        // Most lines fit one request; a long DESCRIPTION takes a few.
        span = output.GetSpan(Math.Max(octets, 256));
        written = 0;
    }
}
