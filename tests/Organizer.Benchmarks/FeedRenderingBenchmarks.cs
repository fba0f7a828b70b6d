using BenchmarkDotNet.Attributes;
using Organizer.Application.Feeds;

namespace Organizer.Benchmarks;

/// <summary>
/// What RenderFeedQueryHandler does once the events are loaded: CalendarWriter.Write, which gives the UTF-8 bytes that
/// are served and hashed for the ETag. Database time is not part of it.
/// </summary>
[MemoryDiagnoser]
public class FeedRenderingBenchmarks
{
    private static readonly FeedHeader Header = new(
        "Organizer — all actions", "Every public action recorded in Organizer, past and upcoming.");

    private List<FeedEvent> events = [];

    [Params(1_000, 10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        events = FeedEventFactory.Create(N);

        // Printed into the run's log: how big the feed is, so per-event cost can be read beside it.
        var bytes = Render();
        Console.WriteLine($"// Feed of {N} events: {bytes.Length:N0} bytes, {bytes.Length / N:N0} bytes per event");
    }

    [Benchmark]
    public byte[] Render() =>
        CalendarWriter.Write(Header, events, slug => $"https://organizer.example/api/events/{slug}", "organizer.example");
}
