using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Organizer.Benchmarks;

// One launch, 3 warm-ups and 10 measured iterations: at 100,000 events an iteration takes seconds, so this keeps a
// full run within a few minutes on 2 cores. Pass BenchmarkDotNet's own options after "--" (e.g. --filter '*').
var job = Job.Default
    .WithLaunchCount(1)
    .WithWarmupCount(3)
    .WithIterationCount(10)
    .WithId("Feed");

var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job);
BenchmarkSwitcher.FromAssembly(typeof(FeedRenderingBenchmarks).Assembly).Run(args, config);
