using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// Reads a <see cref="TrainingHistory"/> the way the lecture does, in its order: did training diverge; did it get
/// started (beat the constant-prediction baseline); does it generalize (validation beats the baseline); does the
/// validation loss make its U-turn (overfitting, with the onset epoch); or does it fall or stall without one
/// (underfitting) or hold its best with capacity to spare (good fit). Trends are read from centered moving
/// trimmed means and a change only counts when it beats both <see cref="FitDiagnosisOptions.Tolerance"/> and a threshold scaled to the
/// epoch-to-epoch noise of the curve, so a single noisy epoch cannot flip the verdict.
/// </summary>
internal static class FitDiagnostician
{
    public static FitDiagnosis Diagnose(TrainingHistory history, FitDiagnosisOptions options)
    {
        options.Validate();
        if (history.Count == 0)
            throw new InvalidOperationException("The history has no epochs: there is nothing to diagnose.");
        var run = new Run(history, options);
        return run.Diverged() ?? run.NotLearning() ?? run.WithoutValidation() ?? run.NotGeneralizing() ?? run.Shape();
    }

    /// <summary>The standard normal quantile, by bisection on Φ(x) = (1 + erf(x / √2)) / 2 (erf from Abramowitz and Stegun 7.1.26, error under 1.5e-7).</summary>
    internal static double NormalQuantile(double p)
    {
        static double Erf(double x)
        {
            double t = 1 / (1 + 0.3275911 * Math.Abs(x));
            double y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
            return x < 0 ? -y : y;
        }
        double lo = -10, hi = 10;
        for (int i = 0; i < 100; i++)
        {
            double mid = (lo + hi) / 2;
            if ((1 + Erf(mid / Math.Sqrt(2))) / 2 < p)
                lo = mid;
            else
                hi = mid;
        }
        return (lo + hi) / 2;
    }

    private sealed class Run
    {
        private readonly TrainingHistory _h;
        private readonly FitDiagnosisOptions _o;
        private readonly double[] _loss;
        private readonly double? _baseline;
        private readonly List<string> _evidence = new();
        private readonly List<string> _advice = new();

        public Run(TrainingHistory history, FitDiagnosisOptions options)
        {
            _h = history;
            _o = options;
            _loss = history.Losses.ToArray();
            _baseline = history.BaselineLoss is double b && double.IsFinite(b) && b > 0 ? b : null;
        }

        private int N => _loss.Length;

        private int Epoch(int index) => _h[index].Epoch;

        private double? Rate => _h[N - 1].LearningRate;

        private string LowerRate => Rate is double r ? F($"LearningRate: lower it 10×, to {r / 10:G3}") : "LearningRate: lower it 10×";

        public FitDiagnosis? Diverged()
        {
            if (_h.Stop == StopKind.Diverged)
                _evidence.Add($"The trainer stopped the run as diverged: {_h.StopReason}.");
            else if (Array.FindIndex(_loss, v => !double.IsFinite(v)) is int bad and >= 0)
                _evidence.Add(F($"The training loss became {_loss[bad]} in epoch {Epoch(bad)}."));
            else if (N >= 2 && _loss[^1] > _o.DivergenceFactor * _loss[..^1].Min())
                _evidence.Add(F($"The last epoch's training loss {_loss[^1]:G4} is {_loss[^1] / _loss[..^1].Min():G3}× the best before it ({_loss[..^1].Min():G4}); above {_o.DivergenceFactor}× is an explosion (fastai's rule)."));
            else
                return null;
            _advice.Add(LowerRate + " (FindLearningRate suggests one)");
            _advice.Add("GradientClipNorm: 1.0 caps each step's size");
            _advice.Add("scale the inputs (mlContext.Transforms.NormalizeMeanVariance or NormalizeMinMax) if their ranges are large");
            return Make(FitVerdict.Diverged);
        }

        public FitDiagnosis? NotLearning()
        {
            int best = ArgMin(_loss);
            bool exploded = _baseline is double b0 && _loss[0] > _o.DivergenceFactor * b0;
            if (_baseline is double b)
            {
                if (_loss[best] < b * (1 - _o.Tolerance))
                    return null;
                _evidence.Add(F($"The training loss never got {Pct(_o.Tolerance)} below the baseline {b:G4} (the best constant prediction's loss): its best was {_loss[best]:G4} in epoch {Epoch(best)}."));
            }
            else
            {
                if (N < 2 || (_loss[0] - _loss[best]) / Math.Abs(_loss[0]) >= _o.Tolerance)
                    return null;
                _evidence.Add(F($"The training loss moved {Pct((_loss[0] - _loss[best]) / Math.Abs(_loss[0]))} from the first epoch ({_loss[0]:G4}) to its best ({_loss[best]:G4}); no baseline was recorded."));
            }
            if (exploded)
                _evidence.Add(F($"The first epoch's loss {_loss[0]:G4} was {_loss[0] / _baseline!.Value:G3}× the baseline: the first steps overshoot (Karpathy's check: an untrained network starts near the baseline)."));
            _advice.Add(exploded ? LowerRate : "LearningRate: try 10× higher and 10× lower (FindLearningRate suggests one)");
            _advice.Add("BatchSize: try a smaller one (more, noisier steps per epoch)");
            _advice.Add("scale the inputs (mlContext.Transforms.NormalizeMeanVariance or NormalizeMinMax)");
            _advice.Add("Optimizer: RmsProp or Adam if another one is in use");
            return Make(FitVerdict.NotLearning);
        }

        private double[]? _val;

        private double[]? Validation => _val ??= _h.All(e => e.ValidationLoss is double v && double.IsFinite(v)) ? _h.Select(e => e.ValidationLoss!.Value).ToArray() : null;

        public FitDiagnosis? WithoutValidation()
        {
            if (Validation is not null)
                return null;
            _evidence.Add(_h.Any(e => e.ValidationLoss is not null)
                ? "Some epochs have no finite validation loss: only the training loss was judged."
                : "There are no validation losses: only the training loss was judged (set ValidationFraction or ValidationData to judge generalization).");
            var smooth = Smooth(_loss);
            if (StillFalling(smooth, _loss, out string trend))
            {
                _evidence.Add("The training loss " + trend);
                _advice.Add("Epochs: train longer, with ValidationFraction 0.2 and EarlyStopping to find where to stop");
                return Make(FitVerdict.Underfitting);
            }
            _evidence.Add("The training loss " + trend);
            _advice.Add("ValidationFraction: 0.2 (or ValidationData) to see whether the model generalizes or overfits");
            return Make(FitVerdict.GoodFit);
        }

        public FitDiagnosis? NotGeneralizing()
        {
            if (_baseline is not double b)
            {
                _evidence.Add("No baseline was recorded, so whether validation beats a constant prediction was not checked.");
                return null;
            }
            var smooth = Smooth(Validation!);
            int best = ArgMin(smooth);
            if (smooth[best] < b * (1 - _o.Tolerance))
                return null;
            _evidence.Add(F($"The training loss fell to {_loss.Min():G4} ({Pct(_loss.Min() / b)} of the baseline {b:G4}), but the validation loss never got {Pct(_o.Tolerance)} below the baseline: its best (smoothed) was {smooth[best]:G4} in epoch {Epoch(best)}."));
            _advice.Add("check the labels: mlContext.Data.ShuffleLabels gives this same picture on purpose, so labels misaligned with their rows would too");
            _advice.Add("check the features: do they carry information about the label? (mlContext.Transforms.FeatureSelection.SelectByMutualInformation scores each one)");
            _advice.Add("a model whose assumptions fit the data (the architecture prior), or more informative features");
            return Make(FitVerdict.NotGeneralizing);
        }

        public FitDiagnosis Shape()
        {
            var val = Validation!;
            var sv = Smooth(val);
            var sl = Smooth(_loss);
            // the smoothed minimum says where the bottom is; the lowest raw epoch within its window says which epoch
            int k = ArgMin(sv);
            int half = Window / 2;
            k = Enumerable.Range(Math.Max(0, k - half), Math.Min(N - 1, k + half) - Math.Max(0, k - half) + 1).MinBy(i => val[i]);
            double noise = RiseNoise(val);
            double end = EndLevel(val);
            double rise = end - sv[k];
            double needed = Math.Max(_o.Tolerance * Math.Abs(sv[k]), noise);
            if (N >= 3 && k < N - 1 && rise > needed && sl[^1] < sl[k] && RisesSteadily(val[k..]))
            {
                int onset = Epoch(k);
                string seen = F($"The validation loss bottomed at {sv[k]:G4} in epoch {onset} (smoothed over {Window} epoch(s)) and ended {Pct(rise / Math.Abs(sv[k]))} higher, at {end:G4} (level of the last {Math.Min(Window, N)}), while the training loss fell from {sl[k]:G4} to {sl[^1]:G4}.");
                _evidence.Add(seen);
                if (_h.RestoredBestWeights && _h.BestEpoch is int kept && Math.Abs(kept - onset) <= Window)
                {
                    _evidence.Add(F($"Early stopping restored the weights of epoch {kept}, at the bottom of the validation curve."));
                    _advice.Add("to lower the bottom itself: DropoutRate (0.2–0.5), L2Regularization (1e-4–1e-3), or more training data");
                    return Make(FitVerdict.GoodFit, onset);
                }
                _advice.Add(F($"EarlyStopping: Patience 2–3 with RestoreBestWeights = true (or Epochs = {onset})"));
                _advice.Add("DropoutRate: 0.2–0.5, and L2Regularization: 1e-4–1e-3");
                _advice.Add("HiddenLayerSizes: fewer or narrower layers, or more training data");
                return Make(FitVerdict.Overfitting, onset);
            }

            double valEnd = EndLevel(val), lossEnd = EndLevel(_loss);
            double gap = (valEnd - lossEnd) / Math.Abs(valEnd);
            bool falling = StillFalling(sv, val, out string trend);
            bool trainFalling = StillFalling(sl, _loss, out string trainTrend);
            if (gap >= _o.GapTolerance && _h.Stop == StopKind.EarlyStopped && _h.RestoredBestWeights && _h.BestEpoch is int restored)
            {
                // too few epochs after the bottom to confirm a rise, but early stopping saw validation stop improving
                // and kept its best epoch, with the training loss well below: the lecture's good fit
                _evidence.Add(F($"Early stopping ended the run and restored the weights of epoch {restored}, where the validation loss was lowest; the training loss ends {Pct(gap)} below the validation loss ({lossEnd:G4} vs {valEnd:G4}), so the model had capacity to spare."));
                _advice.Add("to lower the bottom itself: DropoutRate (0.2–0.5), L2Regularization (1e-4–1e-3), or more training data");
                return Make(FitVerdict.GoodFit);
            }
            if (gap < _o.GapTolerance || (!falling && !trainFalling))
            {
                _evidence.Add("No U-turn: the validation loss " + trend);
                if (gap < _o.GapTolerance)
                    _evidence.Add(gap >= 0
                        ? F($"The training loss ends only {Pct(gap)} below the validation loss ({lossEnd:G4} vs {valEnd:G4}, levels of the last {Math.Min(Window, N)} epoch(s)): the model is not memorizing anything yet, so it can't overfit.")
                        : F($"The training loss ends above the validation loss ({lossEnd:G4} vs {valEnd:G4}, levels of the last {Math.Min(Window, N)} epoch(s)): the model is not memorizing anything yet, so it can't overfit."));
                else
                    _evidence.Add("The training loss " + trainTrend[..^1] + " too: the model fits the training rows no better as it trains, so it has reached its capacity.");
                _advice.Add("HiddenLayerSizes: wider or more layers (more capacity), until the validation loss turns up");
                if (falling)
                    _advice.Add("Epochs: more, while the validation loss still falls");
                return Make(FitVerdict.Underfitting);
            }
            if (falling)
            {
                _evidence.Add("No U-turn yet: the validation loss " + trend);
                _advice.Add("Epochs: more, until the validation loss turns up (EarlyStopping with RestoreBestWeights stops there)");
                return Make(FitVerdict.Underfitting);
            }
            if (SlowlyImproving(val, out string slowly))
            {
                _evidence.Add("No U-turn: the validation loss " + slowly);
                _evidence.Add(F($"The training loss ends {Pct(gap)} below it ({lossEnd:G4} vs {valEnd:G4}), yet the validation loss never turned up: the model can't overfit within {N} epochs."));
                _advice.Add("HiddenLayerSizes: wider or more layers (more capacity), until the validation loss turns up");
                _advice.Add("Epochs: more, while the validation loss still falls");
                return Make(FitVerdict.Underfitting);
            }
            _evidence.Add("The validation loss " + trend);
            _evidence.Add(F($"The training loss ends {Pct(gap)} below it ({lossEnd:G4} vs {valEnd:G4}): the model has capacity to spare and the validation loss holds its best."));
            _advice.Add("to go further: more training data, or DropoutRate / L2Regularization to lower the plateau");
            return Make(FitVerdict.GoodFit);
        }

        /// <summary>True when the curve fell more than the tolerance (and its noise) over the last third of the epochs.</summary>
        private bool StillFalling(double[] smooth, double[] raw, out string trend)
        {
            int back = Math.Max(1, (N - 1) / 3);
            if (N < 2)
            {
                trend = "has one epoch only: no trend to read.";
                return false;
            }
            double from = smooth[N - 1 - back], to = EndLevel(raw);
            double drop = (from - to) / Math.Abs(from);
            bool falling = from - to > Math.Max(_o.Tolerance * Math.Abs(from), RiseNoise(raw, laterHalf: true));
            trend = falling
                ? F($"was still falling at the last epoch: {Pct(drop)} over the last {back} epoch(s), from {from:G4} to {to:G4}.")
                : F($"was flat over the last {back} epoch(s): {from:G4} → {to:G4} ({(drop > 0 ? "-" : "+")}{Pct(Math.Abs(drop))}), within {Pct(_o.Tolerance)} or the epoch-to-epoch noise.");
            return falling;
        }

        private int? _window;

        private int Window => _window ??= _o.SmoothingWindow ?? Math.Clamp(2 * (N / 10) + 1, 1, 5);

        /// <summary>Centered moving <see cref="Level"/>; the ends use what the window holds.</summary>
        private double[] Smooth(double[] values)
        {
            int half = Window / 2;
            var result = new double[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                int from = Math.Max(0, i - half), to = Math.Min(values.Length - 1, i + half);
                result[i] = Level(values[from..(to + 1)]);
            }
            return result;
        }

        /// <summary>
        /// Five standard deviations of the difference of two levels of <see cref="Window"/> epochs, from the
        /// curve's own epoch-to-epoch noise: σ = 1.4826 × the median absolute deviation of its second differences
        /// / √6, over every epoch or the later half (where the first epochs' steep fall would pass for noise in a trend
        /// at the end; second differences cancel a steady trend; five deviations cover the bias of picking the minimum of
        /// a noisy curve: with four, 9 of 1,000 flat curves with ±8% noise over 30 epochs read as overfitting, with
        /// five none did, while a 0.3 → 0.52 rise under ±6% noise was found in all of 1,000).
        /// </summary>
        private double RiseNoise(double[] raw, bool laterHalf = false)
        {
            if (raw.Length < 4)
                return 0;
            if (laterHalf)
                raw = raw[^Math.Max(4, raw.Length / 2)..]; // the first epochs' steep curvature is not noise
            var second = new double[raw.Length - 2];
            for (int i = 1; i < raw.Length - 1; i++)
                second[i - 1] = raw[i + 1] - 2 * raw[i] + raw[i - 1];
            double median = Median(second);
            double mad = Median(second.Select(d => Math.Abs(d - median)).ToArray());
            double sigma = 1.4826 * mad / Math.Sqrt(6);
            return 5 * sigma * Math.Sqrt(2.0 / Window);
        }

        /// <summary>
        /// Mann-Kendall's trend test on the epochs from the bottom on: true when they rise at the one-sided
        /// <see cref="FitDiagnosisOptions.TrendSignificance"/> level, so a low dip followed by flat noise is not read as
        /// a U-turn. Segments under four epochs pass: the test cannot reach significance there and the size of the
        /// rise decides alone.
        /// </summary>
        private bool RisesSteadily(double[] segment) => segment.Length < 4 || MannKendallZ(segment) > CriticalZ;

        /// <summary>
        /// True when the validation loss falls over the last third of the epochs (at least four of them) with a
        /// Mann-Kendall z below −<see cref="CriticalZ"/>: still improving, however slowly, so the U-turn was never reached.
        /// </summary>
        private bool SlowlyImproving(double[] val, out string trend)
        {
            int back = Math.Max(1, (N - 1) / 3);
            trend = "";
            if (back + 1 < 4)
                return false;
            var segment = val[(N - 1 - back)..];
            double z = MannKendallZ(segment);
            if (!(z < -CriticalZ))
                return false;
            int best = ArgMin(val);
            trend = F($"still improves, slowly: over the last {back} epochs it went {segment[0]:G4} → {segment[^1]:G4}, a falling trend (Mann-Kendall z = {z:0.00}, significant at the one-sided {Pct(_o.TrendSignificance)} level), and its lowest epoch is {Epoch(best)} of {N}.");
            return true;
        }

        /// <summary>Mann-Kendall's S (pairs rising minus pairs falling) as a z score, with the continuity correction and no ties correction.</summary>
        private static double MannKendallZ(double[] segment)
        {
            int m = segment.Length;
            int s = 0;
            for (int i = 0; i < m; i++)
                for (int j = i + 1; j < m; j++)
                    s += Math.Sign(segment[j] - segment[i]);
            double variance = m * (m - 1) * (2.0 * m + 5) / 18;
            return (s - Math.Sign(s)) / Math.Sqrt(variance);
        }

        private double? _criticalZ;

        /// <summary>The standard normal quantile at 1 − <see cref="FitDiagnosisOptions.TrendSignificance"/> (1.645 at 0.05).</summary>
        private double CriticalZ => _criticalZ ??= NormalQuantile(1 - _o.TrendSignificance);


        /// <summary>The level of the last <see cref="Window"/> epochs: where the curve ends, as steady as any smoothed point.</summary>
        private double EndLevel(double[] raw) => Level(raw[^Math.Min(Window, raw.Length)..]);

        /// <summary>
        /// A window's level that one bad epoch cannot drag: the mean without the highest and lowest value from five
        /// epochs up (nearly as steady as the mean on noise), the median below that.
        /// </summary>
        private static double Level(double[] window) =>
            window.Length >= 5 ? (window.Sum() - window.Max() - window.Min()) / (window.Length - 2) : Median(window);

        private static double Median(double[] values)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            int m = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
        }

        private static int ArgMin(double[] values)
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++)
                if (values[i] < values[best])
                    best = i;
            return best;
        }

        private FitDiagnosis Make(FitVerdict verdict, int? onset = null) => new(verdict, onset, _evidence.ToArray(), _advice.ToArray());

        /// <summary>A fraction as a percentage without the invariant culture's space ("5%", "12.5%").</summary>
        private static string Pct(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

        private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }
}
