namespace MlNetDeep.Samples.Cli;

/// <summary>A command-line mistake; the program prints the message and exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
