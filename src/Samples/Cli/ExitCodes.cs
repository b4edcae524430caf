namespace MlNetDeep.Samples.Cli;

/// <summary>The program's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Every requested experiment ran.</summary>
    public const int Success = 0;

    /// <summary>An experiment threw.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments: unknown experiment or option, bad or missing option value.</summary>
    public const int Usage = 2;

    /// <summary>Data missing or unreadable: no such data folder, full data not installed, corrupt idx file; or the output folder cannot be created.</summary>
    public const int DataError = 4;
}
