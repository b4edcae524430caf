using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Common;

namespace MlNetDeep;

/// <summary>
/// Options of the dense-network trainers (binary, multiclass, regression). Defaults and meanings follow Keras.
/// The trainer copies the options when it is created; changing this object afterwards does not affect it.
/// </summary>
public sealed class DenseNetworkOptions
{
    /// <summary>The label column: Boolean (binary), key (multiclass) or Single (regression).</summary>
    /// <value>The default value is "Label".</value>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The feature column: a known-size vector of Single (sparse vectors are fine).</summary>
    /// <value>The default value is "Features".</value>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>An optional Single column of non-negative example weights (Keras' <c>sample_weight</c>).</summary>
    /// <value>The default value is null (every example weighs 1).</value>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>
    /// Units of each hidden <c>Dense</c> layer, input side first; an empty array for no hidden layer (a logistic,
    /// softmax or linear model); null for the default { 64 } (the same meaning in the flat catalog overloads).
    /// </summary>
    /// <value>The default value is { 64 }.</value>
    public int[]? HiddenLayerSizes { get; set; } = Defaults.HiddenLayerSizes;

    /// <summary>The activation after each hidden layer.</summary>
    /// <value>The default value is <see cref="MlNetDeep.Activation.Relu"/>.</value>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>
    /// Normalization after each hidden Dense layer, before its activation (Keras' <c>BatchNormalization()</c> or
    /// <c>LayerNormalization()</c> between <c>Dense</c> and <c>Activation</c>), with Keras' defaults: epsilon 1e-3,
    /// learnable gamma (scale, initially 1) and beta (offset, initially 0); batch normalization keeps moving averages
    /// of each unit's mean and variance with momentum 0.99 (PyTorch momentum 0.01) and uses them at inference, for
    /// validation losses and in the saved and exported model. The output layer is not normalized. Gamma and beta are
    /// not penalized by <see cref="L1Regularization"/> or <see cref="L2Regularization"/> (kernels only, as Keras).
    /// </summary>
    /// <value>The default value is <see cref="NormalizationKind.None"/>.</value>
    public NormalizationKind Normalization { get; set; } = NormalizationKind.None;

    /// <summary>
    /// How every Dense layer's kernel is initialized (Keras' <c>kernel_initializer=</c>); biases start at zero. Draws
    /// use <see cref="Seed"/>.
    /// </summary>
    /// <value>The default value is <see cref="KernelInitializer.GlorotUniform"/> (Keras' Dense default).</value>
    public KernelInitializer KernelInitializer { get; set; } = KernelInitializer.GlorotUniform;

    /// <summary>Fraction of each hidden layer's outputs dropped during training (inverted dropout, Keras' <c>Dropout(rate)</c>); 0 turns it off.</summary>
    /// <value>The default value is 0.</value>
    public double DropoutRate { get; set; }

    /// <summary>λ of the L1 kernel penalty λ·Σ|w| added to the loss (Keras' <c>regularizers.L1</c>); biases are not penalized.</summary>
    /// <value>The default value is 0.</value>
    public double L1Regularization { get; set; }

    /// <summary>λ of the L2 kernel penalty λ·Σw² added to the loss (Keras' <c>regularizers.L2</c>); biases are not penalized.</summary>
    /// <value>The default value is 0.</value>
    public double L2Regularization { get; set; }

    /// <summary>The optimizer.</summary>
    /// <value>The default value is <see cref="OptimizerKind.RmsProp"/> (the lecture's "rmsprop").</value>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.RmsProp;

    /// <summary>
    /// The optimizer's learning rate. At most 3.4E+38 (3.4E+37 for Adam and AdamW): libtorch takes every step's
    /// multiplier as a float32. A rate that makes training explode is not an error: Fit stops, keeps the last weights
    /// that score finite values on the training rows (the initial weights if need be) and sets
    /// <see cref="TrainingHistory.Diverged"/> and <see cref="TrainingHistory.StopReason"/>. It counts as diverged when
    /// the training loss is NaN or infinite, or when an epoch's mean training loss is more than 10⁶ × the reference
    /// loss and the weights the epoch ended with still score more than 10 × it on the training rows. The reference is
    /// max(baseline loss, lowest loss so far), the baseline loss that of a constant prediction (class priors, or the
    /// training mean). The lab's RMSprop lr 1.0 run peaks at 617 × its baseline and goes on; lr 1e3 runs reach
    /// 10⁷ × and more in their first epoch.
    /// </summary>
    /// <value>The default value is 0.001 (Keras' RMSprop, Adam and AdamW default).</value>
    public double LearningRate { get; set; } = Defaults.LearningRate;

    /// <summary>
    /// Clips the gradient of each weight tensor (every layer's kernel and bias on its own, not all of them together) to
    /// an L2 norm of at most this value before the optimizer step: g ← g·c/‖g‖ when ‖g‖ &gt; c. This is Keras 3's and
    /// tf.keras 2's <c>clipnorm</c> ("the gradient of each weight is individually clipped so that its norm is no higher
    /// than this value"); Keras' <c>global_clipnorm</c>, one norm over all gradients (and what standalone Keras 2.0–2.3
    /// called clipnorm), is not offered. Clipping bounds each step of SGD; RMSprop, Adam and AdamW divide the gradient
    /// by its own running scale, so it changes their steps far less. At most one of this and
    /// <see cref="GradientClipValue"/> (Keras refuses both).
    /// </summary>
    /// <value>The default value is null (no clipping).</value>
    public double? GradientClipNorm { get; set; }

    /// <summary>
    /// Clips every element of every gradient into [−c, c] before the optimizer step (Keras' <c>clipvalue</c>). With SGD a
    /// step then moves each weight by at most <see cref="LearningRate"/> × c; RMSprop, Adam and AdamW divide by the
    /// gradient's running scale, so a clipped gradient still makes steps of about the learning rate. At most one of this
    /// and <see cref="GradientClipNorm"/>.
    /// </summary>
    /// <value>The default value is null (no clipping).</value>
    public double? GradientClipValue { get; set; }

    /// <summary>Momentum of <see cref="OptimizerKind.Sgd"/> (ignored by the other optimizers).</summary>
    /// <value>The default value is 0 (Keras' SGD default).</value>
    public double Momentum { get; set; }

    /// <summary>Decoupled weight decay of <see cref="OptimizerKind.AdamW"/> (ignored by the other optimizers).</summary>
    /// <value>The default value is 0.004 (Keras' AdamW default).</value>
    public double WeightDecay { get; set; } = 0.004;

    /// <summary>The loss of a regression network (classification uses sigmoid or softmax cross-entropy).</summary>
    /// <value>The default value is <see cref="RegressionLoss.MeanSquaredError"/>.</value>
    public RegressionLoss RegressionLoss { get; set; } = RegressionLoss.MeanSquaredError;

    /// <summary>
    /// How the feature rows are held while training: <see cref="MlNetDeep.FeatureLayout.Auto"/> keeps rows that arrive as
    /// sparse vectors (text featurizers) sparse when at most a tenth of their values are non-zero;
    /// <see cref="MlNetDeep.FeatureLayout.Sparse"/> always keeps only the non-zeros and multiplies sparse batches in the first
    /// layer (Keras' <c>keras.Input(sparse=True)</c>); <see cref="MlNetDeep.FeatureLayout.Dense"/> always stores rows × width
    /// floats. Both layouts train the same network (within float rounding) and save the same model.
    /// </summary>
    /// <value>The default value is <see cref="MlNetDeep.FeatureLayout.Auto"/>.</value>
    public FeatureLayout FeatureLayout { get; set; } = FeatureLayout.Auto;

    /// <summary>Rows per mini-batch.</summary>
    /// <value>The default value is 32 (Keras' <c>batch_size</c> default).</value>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>Passes over the training rows.</summary>
    /// <value>The default value is 10.</value>
    public int Epochs { get; set; } = Defaults.Epochs;

    /// <summary>Whether the training rows are shuffled before every epoch (Keras' <c>shuffle</c>).</summary>
    /// <value>The default value is true.</value>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// Whether Fit reads every training row into memory once or streams them: reads the data view's cursor again on
    /// every epoch, mini-batch by mini-batch, through a shuffle buffer of <see cref="ShuffleBufferSize"/> rows, so
    /// memory stays bounded by the buffer however many rows there are (ML.NET's IDataView is made for data larger
    /// than memory). Streaming reads all rows once first to check them (as in memory: NaN, infinite or missing values
    /// are reported before training) and to count them, then once per epoch, once per validation, and once more at the
    /// end (the returned weights must score finite values on the training rows); a view must give the same rows each
    /// time it is read. <see cref="StreamingMode.Auto"/> streams when the training rows would take more than half the
    /// memory available to the process (<c>GC.GetGCMemoryInfo().TotalAvailableMemoryBytes</c>: the machine's or the
    /// container's limit), counting rows × (features + 2) × 4 bytes, or more values than one .NET array holds: decided
    /// before reading when the view knows its row count (<c>GetRowCount()</c>: cached and in-memory views), otherwise
    /// Fit starts reading into memory and, when the rows read pass that size, drops them and streams instead.
    /// <see cref="ValidationData"/> follows the training rows' mode. With <see cref="Shuffle"/> off a streamed run
    /// trains bit for bit as the same run in memory; <see cref="ValidationFraction"/> keeps meaning the last rows;
    /// class weights, early stopping with restored weights, callbacks, warm start, cancellation and
    /// <c>FindLearningRate</c> work the same.
    /// </summary>
    /// <value>The default value is <see cref="StreamingMode.Auto"/>.</value>
    public StreamingMode Streaming { get; set; } = StreamingMode.Auto;

    /// <summary>
    /// Rows of the shuffle buffer when training streams (tf.data's <c>shuffle(buffer_size)</c>; ignored in memory,
    /// where every epoch is a uniform permutation): the buffer is filled with the first rows of the pass, and each
    /// training row is drawn uniformly from it and replaced by the next row read. The quality is tf.data's: a row can
    /// come out at most <c>ShuffleBufferSize − 1</c> places earlier than its position in the view, never further, but
    /// any number later (it stays in the buffer a geometric number of draws, <c>ShuffleBufferSize</c> on average); the
    /// first batch holds only rows among the first <c>ShuffleBufferSize + BatchSize − 1</c>. A buffer at least as large as
    /// the training rows gives a uniform permutation. Data sorted by label needs a buffer that spans the classes (or
    /// shuffle the file once beforehand). Memory: <c>(ShuffleBufferSize + BatchSize) × (features + 2) × 4</c> bytes while training, 8,192 rows' worth while evaluating.
    /// </summary>
    /// <value>The default value is 10,000 rows.</value>
    public int ShuffleBufferSize { get; set; } = Defaults.ShuffleBufferSize;

    /// <summary>Bytes the training rows may take in memory before <see cref="StreamingMode.Auto"/> streams; null: half of the memory available (tests set it small).</summary>
    internal long? MemoryBudget { get; set; }

    /// <summary>Which engine trains the mini-batches (tests and benchmarks force one; see <see cref="Training.Managed.ManagedTraining"/>).</summary>
    internal Training.Managed.TrainingEngine Engine { get; set; }

    /// <summary>Fraction of the rows held out for validation, taken from the end of the data before any shuffling (Keras' <c>validation_split</c>).</summary>
    /// <value>The default value is 0 (no validation split).</value>
    public double ValidationFraction { get; set; }

    /// <summary>
    /// Separate validation rows with the same columns (Keras' <c>validation_data</c>); takes the place of
    /// <see cref="ValidationFraction"/>. Its schema is checked with the training schema (GetOutputSchema and Fit);
    /// every error about it starts with "ValidationData: ".
    /// </summary>
    /// <value>The default value is null.</value>
    public IDataView? ValidationData { get; set; }

    /// <summary>Early stopping; null trains all <see cref="Epochs"/>.</summary>
    /// <value>The default value is null.</value>
    public EarlyStoppingOptions? EarlyStopping { get; set; }

    /// <summary>
    /// Per-class weights multiplying each training row's loss and example weight (Keras' <c>class_weight</c>):
    /// <see cref="MlNetDeep.ClassWeights.Balanced"/> or <see cref="MlNetDeep.ClassWeights.FromDictionary{TLabel}"/>.
    /// Binary and multiclass only.
    /// </summary>
    /// <value>The default value is null (every class weighs 1).</value>
    public ClassWeights? ClassWeights { get; set; }

    /// <summary>
    /// Callbacks run after every epoch, in list order (Keras' <c>callbacks=[...]</c>): built-ins
    /// <see cref="ReduceLearningRateOnPlateau"/>, <see cref="LearningRateScheduler"/> and <see cref="ModelCheckpoint"/>, or any
    /// <see cref="IEpochCallback"/>. The list is copied when the trainer is created; the callback objects are not,
    /// and the built-ins start afresh at every Fit.
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IList<IEpochCallback> Callbacks { get; set; } = new List<IEpochCallback>();

    /// <summary>
    /// Seed of weight initialization, shuffling and dropout; the same seed gives bit-identical training on CPUs with
    /// the same instruction set, whatever their core count (training uses <see cref="NumberOfThreads"/> threads, 1 by
    /// default, not one per core: libtorch's parallel sums add in another order with another thread count). Null
    /// draws a random seed, recorded in the history. The seed of the <c>MLContext</c> the trainer was created from
    /// does NOT apply: ML.NET's public API gives a catalog extension no access to its context (in-box trainers reach
    /// it internally), so <c>new MLContext(seed: 1)</c> alone leaves two runs different. Set this option for
    /// reproducible runs.
    /// </summary>
    /// <value>The default value is null.</value>
    public int? Seed { get; set; }

    /// <summary>
    /// libtorch intra-op threads while training, set on the thread that calls Fit only (libtorch keeps the count per
    /// thread, so fits on parallel threads each keep theirs) and restored after Fit. Null means 1, not one per core:
    /// libtorch's OpenMP threads wait for each other at every operation, so when any other process wants a core the
    /// epoch slows several-fold (PyTorch's does too), while one thread never waits. Measured on 2 cores
    /// (build/bench/compare.sh, the lecture's 784-512-10 model on 48,000 rows, 2026-11-26): with one other busy
    /// process, 1.05 s/epoch with 1 thread against 3.53 s with 2; on a quiet machine 2 threads took 0.69 s against
    /// 0.98 s (1.4× faster); two one-thread fits at once took 1.10 s each. One thread also keeps a
    /// seeded run's bits independent of the machine's core count, and lets parallel folds or trials each use a core
    /// without fighting. On a dedicated machine with wide layers, set it to the number of physical cores. Dense
    /// networks without normalization train on MlNetDeep's managed engine instead of libtorch (README, "Trust and
    /// limits"): its matrix products run in MKL with this many threads, set for the thread that calls Fit and restored
    /// after each epoch, and everything else on that thread alone.
    /// </summary>
    /// <value>The default value is null (one thread).</value>
    public int? NumberOfThreads { get; set; }

    /// <summary>The thread count training uses: <see cref="NumberOfThreads"/>, or 1 when it is null.</summary>
    internal int EffectiveNumberOfThreads => NumberOfThreads ?? 1;

    /// <summary>
    /// Receives one <see cref="EpochMetrics"/> after every epoch. Training reports here and in the fitted
    /// transformer's <c>History</c>, not through <c>mlContext.Log</c> (a catalog extension cannot reach the context).
    /// </summary>
    /// <value>The default value is null.</value>
    public IProgress<EpochMetrics>? Progress { get; set; }

    /// <summary>
    /// Cancels Fit: checked every 256 rows while the training and validation data are read, and before every
    /// mini-batch, so Fit stops within 256 rows or one batch. While reading it throws
    /// <see cref="OperationCanceledException"/>; once training has begun it throws
    /// <see cref="TrainingCancelledException"/> (an <see cref="OperationCanceledException"/>) holding the history of the
    /// completed epochs (<see cref="TrainingHistory.Stop"/> = <see cref="StopKind.Cancelled"/>) and the model of the last
    /// completed epoch; the epoch under way is dropped.
    /// </summary>
    /// <value>The default value is <see cref="CancellationToken.None"/>.</value>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The hidden layer sizes training uses: <see cref="HiddenLayerSizes"/>, or the default { 64 } when it is null.</summary>
    internal int[] EffectiveHiddenLayerSizes => HiddenLayerSizes ?? Defaults.HiddenLayerSizes;

    /// <summary>A faithful copy (null stays null; arrays and early-stopping options are copied, not shared).</summary>
    internal DenseNetworkOptions Clone()
    {
        var copy = (DenseNetworkOptions)MemberwiseClone();
        copy.HiddenLayerSizes = (int[]?)HiddenLayerSizes?.Clone();
        copy.EarlyStopping = EarlyStopping?.Clone();
        copy.Callbacks = Callbacks is null ? null! : new List<IEpochCallback>(Callbacks);
        return copy;
    }

    /// <summary>Checks every option and throws one exception listing every invalid one.</summary>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists each.</exception>
    public void Validate()
    {
        var errors = new OptionErrors();
        void Bad(string name, string expected, object? received) => errors.Check(false, name, expected, received);

        if (string.IsNullOrWhiteSpace(LabelColumnName))
            Bad(nameof(LabelColumnName), "a column name", LabelColumnName);
        if (string.IsNullOrWhiteSpace(FeatureColumnName))
            Bad(nameof(FeatureColumnName), "a column name", FeatureColumnName);
        if (ExampleWeightColumnName is not null && ExampleWeightColumnName.Trim().Length == 0)
            Bad(nameof(ExampleWeightColumnName), "null or a column name", ExampleWeightColumnName);
        if (HiddenLayerSizes is not null && HiddenLayerSizes.Any(s => s <= 0))
            Bad(nameof(HiddenLayerSizes), "every layer size > 0", "[" + string.Join(", ", HiddenLayerSizes) + "]");
        if (!Enum.IsDefined(Activation))
            Bad(nameof(Activation), "one of " + string.Join(", ", Enum.GetNames<Activation>()), Activation);
        if (!Enum.IsDefined(Normalization))
            Bad(nameof(Normalization), "one of " + string.Join(", ", Enum.GetNames<NormalizationKind>()), Normalization);
        if (!Enum.IsDefined(FeatureLayout))
            Bad(nameof(FeatureLayout), "one of " + string.Join(", ", Enum.GetNames<FeatureLayout>()), FeatureLayout);
        if (!Enum.IsDefined(KernelInitializer))
            Bad(nameof(KernelInitializer), "one of " + string.Join(", ", Enum.GetNames<KernelInitializer>()), KernelInitializer);
        if (!(DropoutRate >= 0 && DropoutRate < 1))
            Bad(nameof(DropoutRate), "a number in [0, 1)", DropoutRate);
        if (!(L1Regularization >= 0) || double.IsInfinity(L1Regularization))
            Bad(nameof(L1Regularization), "a finite number >= 0", L1Regularization);
        if (!(L2Regularization >= 0) || double.IsInfinity(L2Regularization))
            Bad(nameof(L2Regularization), "a finite number >= 0", L2Regularization);
        if (!Enum.IsDefined(Optimizer))
            Bad(nameof(Optimizer), "one of " + string.Join(", ", Enum.GetNames<OptimizerKind>()), Optimizer);
        if (!(LearningRate >= 0) || double.IsInfinity(LearningRate))
            Bad(nameof(LearningRate), "a finite number >= 0", LearningRate);
        else if (LearningRate > LargestLearningRate())
            Bad(nameof(LearningRate), string.Create(CultureInfo.InvariantCulture,
                $"at most {LargestLearningRate():G3} for {Optimizer} (libtorch takes each step's multiplier as a float32, which ends at 3.4E+38{(Optimizer is OptimizerKind.Adam or OptimizerKind.AdamW ? "; Adam's first step is 10 × the rate" : "")})"), LearningRate);
        if (GradientClipNorm is double clipNorm && !(clipNorm > 0 && !double.IsInfinity(clipNorm)))
            Bad(nameof(GradientClipNorm), "null or a finite number > 0", clipNorm);
        if (GradientClipValue is double clipValue && !(clipValue > 0 && !double.IsInfinity(clipValue)))
            Bad(nameof(GradientClipValue), "null or a finite number > 0", clipValue);
        if (GradientClipNorm is not null && GradientClipValue is not null)
            Bad(nameof(GradientClipValue), "null when GradientClipNorm is set (clip by norm or by value, not both, as Keras)", GradientClipValue);
        if (!(Momentum >= 0 && Momentum < 1))
            Bad(nameof(Momentum), "a number in [0, 1)", Momentum);
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            Bad(nameof(WeightDecay), "a finite number >= 0", WeightDecay);
        if (!Enum.IsDefined(RegressionLoss))
            Bad(nameof(RegressionLoss), "one of " + string.Join(", ", Enum.GetNames<RegressionLoss>()), RegressionLoss);
        if (BatchSize <= 0)
            Bad(nameof(BatchSize), "an integer > 0", BatchSize);
        if (Epochs <= 0)
            Bad(nameof(Epochs), "an integer > 0", Epochs);
        if (!Enum.IsDefined(Streaming))
            Bad(nameof(Streaming), "one of " + string.Join(", ", Enum.GetNames<StreamingMode>()), Streaming);
        if (ShuffleBufferSize <= 0)
            Bad(nameof(ShuffleBufferSize), "an integer > 0", ShuffleBufferSize);
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            Bad(nameof(ValidationFraction), "a number in [0, 1)", ValidationFraction);
        if (ValidationData is not null && ValidationFraction > 0)
            Bad(nameof(ValidationFraction), "0 when ValidationData is set (use one or the other)", ValidationFraction);
        if (NumberOfThreads is <= 0)
            Bad(nameof(NumberOfThreads), "null or an integer > 0", NumberOfThreads);
        if (EarlyStopping is { } es)
        {
            if (!EarlyStoppingOptions.MonitorNames.Contains(es.Monitor))
                Bad("EarlyStopping.Monitor", "one of " + string.Join(", ", EarlyStoppingOptions.MonitorNames), es.Monitor);
            else if (es.Monitor.StartsWith("val_", StringComparison.Ordinal) && ValidationData is null && !(ValidationFraction > 0))
                Bad("EarlyStopping.Monitor", "a training metric (\"loss\", \"accuracy\") when there is no validation data (set ValidationFraction or ValidationData)", es.Monitor);
            if (es.Patience < 0)
                Bad("EarlyStopping.Patience", "an integer >= 0", es.Patience);
            if (!(es.MinDelta >= 0) || double.IsInfinity(es.MinDelta))
                Bad("EarlyStopping.MinDelta", "a finite number >= 0", es.MinDelta);
        }

        if (Callbacks is null)
            Bad(nameof(Callbacks), "a list of callbacks (empty for none)", null);
        else
        {
            bool hasValidation = ValidationData is not null || ValidationFraction > 0;
            for (int i = 0; i < Callbacks.Count; i++)
            {
                if (Callbacks[i] is null)
                    Bad($"{nameof(Callbacks)}[{i}]", "a callback", null);
                else if (Callbacks[i] is ReduceLearningRateOnPlateau plateau)
                    plateau.Check(errors, hasValidation);
                else if (Callbacks[i] is ModelCheckpoint checkpoint)
                    checkpoint.Check(errors, hasValidation);
            }
        }

        errors.ThrowIfAny(nameof(DenseNetworkOptions), "options");
    }

    /// <summary>
    /// The largest rate whose step multiplier fits in float32: lr (RMSprop, SGD), lr / (1 − β₁) = 10·lr at Adam's and
    /// AdamW's first bias-corrected step. Beyond it libtorch throws a native overflow error in the first step (checked:
    /// SGD at 3.5E+38, AdamW at 3.5E+37); at or below it a huge rate only diverges, which training detects and reports.
    /// </summary>
    private double LargestLearningRate() => float.MaxValue / (Optimizer is OptimizerKind.Adam or OptimizerKind.AdamW ? 10.0 : 1.0);

    /// <summary>The defaults shared by the options and the flat catalog overloads.</summary>
    internal static class Defaults
    {
        public const double LearningRate = 1e-3;
        public const int BatchSize = 32;
        public const int Epochs = 10;
        public const int ShuffleBufferSize = 10_000;

        /// <summary>A new array each time, so no caller can change the default for everyone.</summary>
        public static int[] HiddenLayerSizes => new[] { 64 };
    }
}
