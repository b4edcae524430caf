using System.Globalization;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Whether an initial model can be continued by a trainer: same task, input width, outputs (and for multiclass the
/// same classes in the same key order), and the architecture the options describe (hidden layer sizes, activation).
/// The options win nothing silently: they describe the network Fit returns, so a mismatch is an error that says what to set.
/// </summary>
internal static class WarmStart
{
    /// <exception cref="ArgumentException">The model cannot be continued; the message lists every reason.</exception>
    public static void Check(DenseNetworkModel model, NetworkTask task, DenseNetworkOptions options, int inputSize, IReadOnlyList<string>? classNames)
    {
        var problems = new List<string>();
        static string List<T>(IEnumerable<T> values) => "[" + string.Join(", ", values) + "]";

        if (model.Task != task)
            problems.Add($"it is a {model.Task} network; this trainer trains {task} networks.");
        if (model.InputSize != inputSize)
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"it takes {model.InputSize} features; column '{options.FeatureColumnName}' has {inputSize}. Continue on data prepared by the same transforms as its first training."));
        if (model.Task == task && task == NetworkTask.Multiclass && classNames is not null)
        {
            var known = model.ClassNames ?? Array.Empty<string>();
            if (known.Count != classNames.Count)
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"it has {known.Count} classes {List(known)}; column '{options.LabelColumnName}' has {classNames.Count} {List(classNames)}."));
            else if (!known.SequenceEqual(classNames, StringComparer.Ordinal))
                problems.Add($"its classes are {List(known)} in key order; column '{options.LabelColumnName}' has {List(classNames)}. Map the label with the MapValueToKey transformer of its first training (or keyData with the same values in the same order).");
        }
        var hidden = options.EffectiveHiddenLayerSizes;
        if (!model.HiddenLayerSizes.SequenceEqual(hidden))
            problems.Add($"it has hidden layers {List(model.HiddenLayerSizes)}; HiddenLayerSizes is {List(hidden)}. A warm start keeps the architecture: set HiddenLayerSizes = new[] {{ {string.Join(", ", model.HiddenLayerSizes)} }}.");
        if (model.Activation != options.Activation)
            problems.Add($"it uses the {model.Activation} activation; Activation is {options.Activation}. Set Activation = Activation.{model.Activation}.");

        if (problems.Count > 0)
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The initial model cannot be continued by this trainer: {problems.Count} problem(s).\n") + string.Join("\n", problems.Select(p => "initialModel: " + p)),
                "initialModel");
    }
}
