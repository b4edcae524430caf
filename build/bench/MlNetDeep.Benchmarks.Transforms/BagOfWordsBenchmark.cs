namespace MlNetDeep.Benchmarks;

internal static class BagOfWordsBenchmark
{
    public static void Run(string? folder) => Console.WriteLine("bag-of-words benchmark: not written yet");
}
