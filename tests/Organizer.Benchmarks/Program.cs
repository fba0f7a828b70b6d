using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Organizer.Benchmarks;

// Two modes:
//   timeline ...   server-side latency of the timeline, summary, event list and search against a database filled by
//                  tests/Organizer.DataGenerator (see TimelineBenchmark and docs/performance.md);
//   anything else  BenchmarkDotNet's feed rendering benchmarks. Pass BenchmarkDotNet's own options (e.g. --filter '*').
if (args.Length > 0 && args[0] == "timeline")
{
    return await TimelineBenchmark.RunAsync(args[1..]);
}

// One launch, 3 warm-ups and 10 measured iterations: at 100,000 events an iteration takes seconds, so this keeps a
// full run within a few minutes on 2 cores.
var job = Job.Default
    .WithLaunchCount(1)
    .WithWarmupCount(3)
    .WithIterationCount(10)
    .WithId("Feed");

var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job);
BenchmarkSwitcher.FromAssembly(typeof(FeedRenderingBenchmarks).Assembly).Run(args, config);
return 0;
