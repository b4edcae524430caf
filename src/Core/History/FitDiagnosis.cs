using System.Globalization;
using System.Text;

namespace MlNetDeep;

/// <summary>
/// What a training history says about the run: a <see cref="Verdict"/>, the <see cref="Evidence"/> with the numbers
/// that led to it, and the <see cref="Advice"/> the lecture gives for that stage, naming <c>DenseNetworkOptions</c>
/// members. Made by <see cref="TrainingHistory.Diagnose(FitDiagnosisOptions?)"/>.
/// </summary>
public sealed class FitDiagnosis
{
    internal FitDiagnosis(FitVerdict verdict, int? overfittingEpoch, IReadOnlyList<string> evidence, IReadOnlyList<string> advice)
    {
        Verdict = verdict;
        OverfittingEpoch = overfittingEpoch;
        Evidence = evidence;
        Advice = advice;
    }

    /// <summary>The stage the run is at.</summary>
    public FitVerdict Verdict { get; }

    /// <summary>
    /// The epoch where the (smoothed) validation loss bottoms out before rising while the training loss keeps
    /// falling: where early stopping should have kept the weights. Set for <see cref="FitVerdict.Overfitting"/>, and
    /// for <see cref="FitVerdict.GoodFit"/> when early stopping cut such a rise; null when no rise was seen.
    /// </summary>
    public int? OverfittingEpoch { get; }

    /// <summary>Sentences with the numbers that led to the verdict.</summary>
    public IReadOnlyList<string> Evidence { get; }

    /// <summary>The next settings to try, each naming a <c>DenseNetworkOptions</c> member (or a data step) and why.</summary>
    public IReadOnlyList<string> Advice { get; }

    /// <summary>The verdict on one line, then the evidence and the advice as bullet lines.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Verdict.ToString());
        if (OverfittingEpoch is int k)
            sb.Append(CultureInfo.InvariantCulture, $" (overfitting from epoch {k})");
        foreach (var e in Evidence)
            sb.Append("\n- ").Append(e);
        foreach (var a in Advice)
            sb.Append("\n→ ").Append(a);
        return sb.ToString();
    }
}
