using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetDeep.Training;

/// <summary>
/// Keras' BatchNormalization or LayerNormalization over the units of one hidden layer (input [batch, units]).
/// Batch normalization in training mode normalizes by the batch's mean and biased variance and moves the moving
/// averages toward them as Keras does (moving ← 0.99·moving + 0.01·batch, with the biased variance; PyTorch's
/// BatchNorm1d would use the unbiased one, and a one-row batch would make its moving variance NaN); in eval mode it
/// uses the moving averages. Layer normalization uses each row's own statistics in both modes.
/// </summary>
internal sealed class NormalizationModule : nn.Module<Tensor, Tensor>
{
    /// <summary>Keras' default epsilon of both layers.</summary>
    public const double DefaultEpsilon = 1e-3;

    /// <summary>Keras' default BatchNormalization momentum (the weight of the old moving average).</summary>
    public const double Momentum = 0.99;

    private readonly Parameter gamma;
    private readonly Parameter beta;
    private readonly Tensor? moving_mean;
    private readonly Tensor? moving_variance;
    private readonly long[] _shape;
    private readonly Scalar _momentum;
    private readonly Scalar _oneMinusMomentum;

    public NormalizationModule(NormalizationKind kind, int units)
        : base(kind.ToString())
    {
        if (kind is not (NormalizationKind.BatchNormalization or NormalizationKind.LayerNormalization))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a normalization layer.");
        Kind = kind;
        _shape = new long[] { units };
        gamma = new Parameter(ones(units));
        beta = new Parameter(zeros(units));
        register_parameter(nameof(gamma), gamma);
        register_parameter(nameof(beta), beta);
        if (kind == NormalizationKind.BatchNormalization)
        {
            moving_mean = zeros(units);
            moving_variance = ones(units);
            register_buffer(nameof(moving_mean), moving_mean);
            register_buffer(nameof(moving_variance), moving_variance);
        }
        // created once: TorchSharp frees implicitly converted Scalars only in finalizers (see KerasRmsProp)
        _momentum = Momentum.ToScalar();
        _oneMinusMomentum = (1 - Momentum).ToScalar();
    }

    public NormalizationKind Kind { get; }

    /// <summary>The constant added to the variance; a loaded network brings its own.</summary>
    public double Epsilon { get; set; } = DefaultEpsilon;

    public Parameter Gamma => gamma;

    public Parameter Beta => beta;

    /// <summary>Batch normalization's moving mean (a buffer, not trained by the optimizer); null for layer normalization.</summary>
    public Tensor? MovingMean => moving_mean;

    /// <summary>Batch normalization's moving variance; null for layer normalization.</summary>
    public Tensor? MovingVariance => moving_variance;

    public override Tensor forward(Tensor x)
    {
        if (Kind == NormalizationKind.LayerNormalization)
            return F.layer_norm(x, _shape, gamma, beta, Epsilon);
        if (!training)
            return F.batch_norm(x, moving_mean!, moving_variance!, gamma, beta, training: false, eps: Epsilon);
        using (no_grad())
        {
            var (variance, mean) = x.var_mean(0, unbiased: false);
            using (variance)
            using (mean)
            {
                moving_mean!.mul_(_momentum).add_(mean, _oneMinusMomentum);
                moving_variance!.mul_(_momentum).add_(variance, _oneMinusMomentum);
            }
        }
        // no running statistics passed: libtorch normalizes by the batch's own (biased) statistics and updates nothing
        return F.batch_norm(x, null!, null!, gamma, beta, training: true, eps: Epsilon);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _momentum.Dispose();
            _oneMinusMomentum.Dispose();
        }
        base.Dispose(disposing);
    }
}
