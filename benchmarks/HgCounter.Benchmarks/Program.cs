using BenchmarkDotNet.Running;
using HgCounter.Benchmarks.Capacity;
using HgCounter.Benchmarks.Pipeline;

// dotnet run -c Release --project benchmarks/HgCounter.Benchmarks -- --filter '*'                      (full run)
// dotnet run -c Release --project benchmarks/HgCounter.Benchmarks -- --filter '*' --job dry            (quick mode, CI)
// dotnet run -c Release --project benchmarks/HgCounter.Benchmarks -- --filter '*PipelineBenchmarks*'   (docs/performance.md)
// dotnet run -c Release --project benchmarks/HgCounter.Benchmarks -- capacity [--cameras 1,2,4,8] ... (the real agent, N cameras)
// dotnet run -c Release --project benchmarks/HgCounter.Benchmarks -- decode-ratio [--seconds 30] ...  (agent ingest vs bare ffmpeg)
if (args.Length > 0 && args[0] is "capacity" or "decode-ratio")
{
    try
    {
        return args[0] == "capacity" ? await CapacityRun.RunAsync(args[1..]) : await DecodeRatioRun.RunAsync(args[1..]);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
PipelineReport.Print(summaries, Console.Out);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
