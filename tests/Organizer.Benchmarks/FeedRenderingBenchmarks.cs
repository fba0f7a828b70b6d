using System.Buffers;
using BenchmarkDotNet.Attributes;
using Organizer.Application.Feeds;

namespace Organizer.Benchmarks;

/// <summary>
/// What RenderFeedQueryHandler does once the events are loaded, without the database:
/// <list type="bullet">
/// <item><c>Cold</c>: every event written as its own piece (nothing kept from an earlier render), then the feed
/// composed around them and hashed for its ETag;</item>
/// <item><c>Warm</c>: every piece kept from an earlier render (as after a write that changed one event), so only the
/// header, the VTIMEZONEs and the hash are done again.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class FeedRenderingBenchmarks
{
    private const string UidDomain = "organizer.example";

    private static readonly FeedHeader Header = new(
        "Organizer — all actions", "Every public action recorded in Organizer, past and upcoming.");

    private List<FeedEvent> events = [];
    private List<EventFragment> kept = [];

    [Params(1_000, 10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        events = FeedEventFactory.Create(N);
        kept = Fragments();

        // Printed into the run's log: how big the feed is, so per-event cost can be read beside it.
        var feed = Cold();
        Console.WriteLine($"// Feed of {N} events: {feed.Length:N0} bytes, {feed.Length / N:N0} bytes per event");
    }

    [Benchmark]
    public RenderedFeed Cold() => Serve(Fragments());

    [Benchmark]
    public RenderedFeed Warm() => Serve(kept);

    private List<EventFragment> Fragments()
    {
        var scratch = new ArrayBufferWriter<byte>(4096);
        var fragments = new List<EventFragment>(events.Count);
        foreach (var e in events)
        {
            fragments.Add(CalendarWriter.Fragment(e, $"https://organizer.example/api/events/{e.Slug}", UidDomain, scratch, onFailure: null)!);
        }

        return fragments;
    }

    private static RenderedFeed Serve(List<EventFragment> fragments) =>
        RenderedFeed.Of(CalendarWriter.Compose(Header, fragments), DateTimeOffset.UnixEpoch, "all.ics", [FeedTags.AnyEvent]);
}
