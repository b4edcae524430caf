using System.Globalization;

namespace MlNetDeep.Common;

/// <summary>
/// Collects every invalid option of one options object so a single exception lists them all, each in the shape
/// "Invalid value for X: expected Y. Received: X=Z.".
/// </summary>
internal sealed class OptionErrors
{
    private readonly List<string> _errors = new();

    /// <summary>Records a problem with <paramref name="name"/> unless <paramref name="valid"/> holds.</summary>
    public void Check(bool valid, string name, string expected, object? received)
    {
        if (!valid)
            _errors.Add($"Invalid value for {name}: expected {expected}. Received: {name}={Format(received)}.");
    }

    /// <summary>Records a problem already in the shape above (e.g. one read from a nested options object's exception).</summary>
    public void Add(string problem) => _errors.Add(problem);

    /// <summary>Throws one <see cref="ArgumentException"/> listing every recorded problem, if any.</summary>
    /// <exception cref="ArgumentException">At least one problem was recorded.</exception>
    public void ThrowIfAny(string optionsTypeName, string parameterName)
    {
        if (_errors.Count == 0)
            return;
        throw new ArgumentException($"Invalid {optionsTypeName}: {_errors.Count} problem(s).\n" + string.Join("\n", _errors), parameterName);
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
