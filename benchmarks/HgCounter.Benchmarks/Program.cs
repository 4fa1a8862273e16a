using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/HgCounter.Benchmarks -- --filter '*'          (full run)
// dotnet run -c Release --project benchmarks/HgCounter.Benchmarks -- --filter '*' --job dry (quick mode, CI)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
