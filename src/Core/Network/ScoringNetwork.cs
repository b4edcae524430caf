using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Network;

/// <summary>
/// A trained dense network compiled for scoring in managed code (no native session, nothing to dispose, safe to
/// share between threads). Each layer's kernel is packed once at load (<see cref="PackedLayer"/>): one row is scored
/// as a sum of kernel rows weighted by its non-zero inputs (sparse inputs cost their non-zeros), a block of rows
/// four rows at a time with the weights loaded once per four rows. Every output is summed in input order with one
/// multiply and one add per input (never fused) whatever the vector width, so a row gets the same bits alone or in
/// a block, on every machine with IEEE Single arithmetic, as with earlier releases. A hidden layer's batch normalization is turned into one scale
/// and one shift per unit when the network is parsed (scale = gamma/√(moving variance + ε), shift = beta − moving
/// mean·scale, both in Single, as libtorch computes inference batch norm) and applied to the layer's output before the
/// activation; it is not folded into the kernel, so the kernel keeps its trained bits. Layer normalization is computed
/// per row (mean and biased variance of the row's units, summed in Double).
/// </summary>
internal sealed class ScoringNetwork
{
    [ThreadStatic]
    private static float[]? t_scratchA;

    [ThreadStatic]
    private static float[]? t_scratchB;

    [ThreadStatic]
    private static float[]? t_values;

    [ThreadStatic]
    private static int[]? t_indices;

    private readonly PackedLayer[] _layers;
    private readonly Norm?[] _norms;
    private readonly int _widest;

    public ScoringNetwork(NetworkDefinition network)
    {
        Definition = network;
        _layers = network.Layers.Select(l => new PackedLayer(l.InputSize, l.OutputSize, l.WeightsArray, l.BiasArray)).ToArray();
        _norms = network.Layers.Select(l => Norm.Of(l.Normalization)).ToArray();
        _widest = _layers.Max(l => l.Stride);
    }

    public NetworkDefinition Definition { get; }

    public NetworkTask Task => Definition.Task;

    public int InputSize => _layers[0].Inputs;

    public int OutputSize => _layers[^1].Outputs;

    /// <summary>Writes the network's raw outputs (logits, or the regression value) for one row into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The row has another length than the network's input.</exception>
    public void Forward(in VBuffer<float> features, Span<float> output)
    {
        if (features.Length != InputSize)
            throw new ArgumentException($"The feature vector has {features.Length} values; the network was trained on {InputSize}.");
        var a = Scratch(ref t_scratchA, _widest);
        var b = Scratch(ref t_scratchB, _widest);
        var indices = ScratchIndices(Math.Max(InputSize, _widest));
        var values = Scratch(ref t_values, Math.Max(InputSize, _widest));

        // the first layer reads the row's non-zero values, sparse or dense
        int count = 0;
        var source = features.GetValues();
        if (features.IsDense)
        {
            for (int i = 0; i < source.Length; i++)
            {
                if (source[i] != 0f)
                {
                    indices[count] = i;
                    values[count++] = source[i];
                }
            }
        }
        else
        {
            var sourceIndices = features.GetIndices();
            for (int k = 0; k < source.Length; k++)
            {
                if (source[k] != 0f)
                {
                    indices[count] = sourceIndices[k];
                    values[count++] = source[k];
                }
            }
        }

        _layers[0].ForwardRow(indices.AsSpan(0, count), values.AsSpan(0, count), a);
        var current = a.AsSpan(0, _layers[0].Outputs);
        for (int l = 1; l < _layers.Length; l++)
        {
            _norms[l - 1]?.Apply(current);
            Activate(current);
            count = 0;
            for (int i = 0; i < current.Length; i++)
            {
                if (current[i] != 0f)
                {
                    indices[count] = i;
                    values[count++] = current[i];
                }
            }
            var next = l % 2 == 1 ? b : a;
            _layers[l].ForwardRow(indices.AsSpan(0, count), values.AsSpan(0, count), next);
            current = next.AsSpan(0, _layers[l].Outputs);
        }
        current.CopyTo(output);
    }

    /// <summary>
    /// Scores <paramref name="rows"/> dense rows of <paramref name="features"/> (row r at r·<see cref="InputSize"/>)
    /// into <paramref name="output"/> (row r at r·<see cref="OutputSize"/>); each row gets the bits
    /// <see cref="Forward"/> gives it.
    /// </summary>
    public void ForwardBlock(ReadOnlySpan<float> features, int rows, Span<float> output)
    {
        if (features.Length < rows * InputSize || output.Length < rows * OutputSize)
            throw new ArgumentException($"A block of {rows} rows needs {rows * InputSize} feature values and room for {rows * OutputSize} outputs; received {features.Length} and {output.Length}.");
        var active = new int[2 * Math.Max(InputSize, _widest)];
        var a = new float[rows * _widest];
        var b = _layers.Length > 1 ? new float[rows * _widest] : a;
        _layers[0].ForwardRows(features, InputSize, rows, a, active);
        var current = a;
        for (int l = 1; l < _layers.Length; l++)
        {
            int stride = _layers[l - 1].Stride;
            for (int r = 0; r < rows; r++)
            {
                var row = current.AsSpan(r * stride, _layers[l - 1].Outputs);
                _norms[l - 1]?.Apply(row);
                Activate(row);
            }
            var next = current == a ? b : a;
            _layers[l].ForwardRows(current, stride, rows, next, active);
            current = next;
        }
        var last = _layers[^1];
        for (int r = 0; r < rows; r++)
            current.AsSpan(r * last.Stride, OutputSize).CopyTo(output.Slice(r * OutputSize, OutputSize));
    }

    private static float[] Scratch(ref float[]? buffer, int size)
    {
        if (buffer is null || buffer.Length < size)
            buffer = new float[Math.Max(size, 64)];
        return buffer;
    }

    private static int[] ScratchIndices(int size)
    {
        if (t_indices is null || t_indices.Length < size)
            t_indices = new int[Math.Max(size, 64)];
        return t_indices;
    }

    private void Activate(Span<float> x)
    {
        switch (Definition.Activation)
        {
            case Activation.Relu:
                for (int i = 0; i < x.Length; i++)
                    x[i] = x[i] > 0f ? x[i] : (float.IsNaN(x[i]) ? x[i] : 0f);
                break;
            case Activation.Tanh:
                for (int i = 0; i < x.Length; i++)
                    x[i] = MathF.Tanh(x[i]);
                break;
            case Activation.Sigmoid:
                for (int i = 0; i < x.Length; i++)
                    x[i] = Sigmoid(x[i]);
                break;
            case Activation.Gelu:
                for (int i = 0; i < x.Length; i++)
                    x[i] = (float)(0.5 * x[i] * (1.0 + Erf(x[i] / Math.Sqrt(2.0))));
                break;
            default:
                throw new InvalidOperationException($"Unknown activation {Definition.Activation}.");
        }
    }

    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>erf(x) with fractional error below 1.2e-7 (Numerical Recipes' Chebyshev fit of erfc), computed in Double.</summary>
    internal static double Erf(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }

    /// <summary>A hidden layer's normalization, ready to apply to one row of its outputs.</summary>
    private sealed class Norm
    {
        private readonly NormalizationKind _kind;
        private readonly float[] _scale; // batch norm: gamma/√(var + ε); layer norm: gamma
        private readonly float[] _shift; // batch norm: beta − mean·scale; layer norm: beta
        private readonly double _epsilon;

        private Norm(NormalizationKind kind, float[] scale, float[] shift, double epsilon)
        {
            _kind = kind;
            _scale = scale;
            _shift = shift;
            _epsilon = epsilon;
        }

        public static Norm? Of(NormalizationWeights? n)
        {
            if (n is null)
                return null;
            if (n.Kind == NormalizationKind.LayerNormalization)
                return new Norm(n.Kind, n.GammaArray, n.BetaArray, n.Epsilon);
            var scale = new float[n.Size];
            var shift = new float[n.Size];
            float epsilon = (float)n.Epsilon;
            for (int i = 0; i < scale.Length; i++)
            {
                scale[i] = n.GammaArray[i] / MathF.Sqrt(n.MovingVarianceArray[i] + epsilon);
                shift[i] = n.BetaArray[i] - (n.MovingMeanArray[i] * scale[i]);
            }
            return new Norm(n.Kind, scale, shift, n.Epsilon);
        }

        public void Apply(Span<float> x)
        {
            if (_kind == NormalizationKind.BatchNormalization)
            {
                for (int i = 0; i < x.Length; i++)
                    x[i] = (x[i] * _scale[i]) + _shift[i];
                return;
            }
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
                sum += x[i];
            double mean = sum / x.Length;
            double squares = 0;
            for (int i = 0; i < x.Length; i++)
                squares += (x[i] - mean) * (x[i] - mean);
            double inverseStd = 1.0 / Math.Sqrt((squares / x.Length) + _epsilon);
            for (int i = 0; i < x.Length; i++)
                x[i] = (float)(((x[i] - mean) * inverseStd * _scale[i]) + _shift[i]);
        }
    }
}
