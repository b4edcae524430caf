// Benchmarks of MlNetDeep's transforms against ML.NET's built-ins on the real data sets (not part of the tests).
// Usage: dotnet run -c Release --project build/bench/MlNetDeep.Benchmarks.Transforms -- [mi [ROWS]|bow [FOLDER]|bow-parts|bow-profile|noise|tokenizer|all]
using MlNetDeep.Benchmarks;

var which = args.Length > 0 ? args[0] : "all";
if (which is "mi" or "all")
    MutualInformationBenchmark.Run(args.Length > 1 && which == "mi" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 48_000);
if (which is "bow" or "all")
    BagOfWordsBenchmark.Run(args.Length > 1 ? args[1] : null);
if (which is "bow-profile") // only MlNetDeep's fit and transform, repeated: a steady workload to attach a profiler to
    BagOfWordsBenchmark.Profile(args.Length > 1 ? args[1] : null);
if (which is "bow-parts")
    BagOfWordsPartsBenchmark.Run(args.Length > 1 ? args[1] : null);
if (which is "noise" or "all")
    NoiseChannelBenchmark.Run();
if (which is "tokenizer" or "all")
    TokenizerBenchmark.Run();
return 0;
