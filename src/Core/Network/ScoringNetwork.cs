using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Network;

/// <summary>
/// A trained dense network compiled for scoring in managed code (no native session, nothing to dispose, safe to
/// share between threads). One row: each layer's kernel is stored transposed, [in, out], and the row is scored as a
/// sum of kernel rows weighted by its non-zero inputs (sparse inputs cost their non-zeros; the SIMD lanes run
/// across outputs). A block of rows (<see cref="ForwardBlock(ReadOnlySpan{float}, int, Span{float})"/>, what a fitted model's Transform uses): the kernels
/// are also packed into register-blocked panels (<see cref="PackedLayer"/>, built on the first block) and four rows
/// share every weight load. Both sum every output in input order with one multiply and one add (never fused), so a
/// row gets the same bits alone or in a block, whatever the vector width, on every machine with IEEE Single
/// arithmetic. A hidden layer's batch normalization is turned into one scale
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

    [ThreadStatic]
    private static float[]? t_blockA;

    [ThreadStatic]
    private static float[]? t_blockB;

    [ThreadStatic]
    private static int[]? t_blockActive;

    private readonly Layer[] _layers;
    private readonly int _widest;
    private PackedLayer[]? _packed;

    public ScoringNetwork(NetworkDefinition network)
    {
        Definition = network;
        _layers = network.Layers.Select(l => new Layer(l.InputSize, l.OutputSize, Transpose(l.WeightsArray, l.OutputSize, l.InputSize), l.WeightsArray, l.BiasArray, Norm.Of(l.Normalization))).ToArray();
        _widest = _layers.Max(l => l.Outputs);
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

        var current = a.AsSpan(0, _layers[0].Outputs);
        Dense(_layers[0], indices, values, count, current);
        for (int l = 1; l < _layers.Length; l++)
        {
            _layers[l - 1].Normalization?.Apply(current);
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
            var next = (l % 2 == 1 ? b : a).AsSpan(0, _layers[l].Outputs);
            Dense(_layers[l], indices, values, count, next);
            current = next;
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
        ForwardRows(features, rows, default, output);
    }

    /// <summary>
    /// Scores the dense rows <paramref name="order"/>[0..n) of <paramref name="features"/> (row r at
    /// r·<see cref="InputSize"/>), in groups of four consecutive entries of <paramref name="order"/> (see
    /// <see cref="RowGroups"/>), writing the outputs of row <paramref name="order"/>[i] at i·<see cref="OutputSize"/>
    /// of <paramref name="output"/>; each row gets the bits <see cref="Forward"/> gives it.
    /// </summary>
    public void ForwardBlock(ReadOnlySpan<float> features, ReadOnlySpan<int> order, Span<float> output)
    {
        int rows = order.Length;
        if (output.Length < rows * OutputSize)
            throw new ArgumentException($"A block of {rows} rows needs room for {rows * OutputSize} outputs; received {output.Length}.");
        foreach (int row in order)
        {
            if ((uint)row >= (uint)(features.Length / InputSize))
                throw new ArgumentException($"Row {row} is outside the {features.Length / InputSize} rows of the block.", nameof(order));
        }
        ForwardRows(features, rows, order, output);
    }

    private void ForwardRows(ReadOnlySpan<float> features, int rows, ReadOnlySpan<int> order, Span<float> output)
    {
        var layers = _packed ??= _layers.Select(l => new PackedLayer(l.Inputs, l.Outputs, l.Weights, l.Bias)).ToArray();
        int widest = layers.Max(l => l.Stride);
        var active = t_blockActive is { } held && held.Length >= 2 * Math.Max(InputSize, widest) ? held : t_blockActive = new int[2 * Math.Max(InputSize, widest)];
        var a = Scratch(ref t_blockA, rows * widest);
        var b = layers.Length > 1 ? Scratch(ref t_blockB, rows * widest) : a;
        layers[0].ForwardRows(features, InputSize, rows, a, active, order);
        var current = a;
        for (int l = 1; l < layers.Length; l++)
        {
            int stride = layers[l - 1].Stride;
            for (int r = 0; r < rows; r++)
            {
                var row = current.AsSpan(r * stride, layers[l - 1].Outputs);
                _layers[l - 1].Normalization?.Apply(row);
                Activate(row);
            }
            var next = current == a ? b : a;
            layers[l].ForwardRows(current, stride, rows, next, active);
            current = next;
        }
        var last = layers[^1];
        for (int r = 0; r < rows; r++)
            current.AsSpan(r * last.Stride, OutputSize).CopyTo(output.Slice(r * OutputSize, OutputSize));
    }

    /// <summary>
    /// y = bias + Σ_k values[k]·W[indices[k], :], summed in k order for every output (so the bits do not depend on
    /// the SIMD width); four kernel rows per pass over y keep y in registers.
    /// </summary>
    private static void Dense(Layer layer, int[] indices, float[] values, int count, Span<float> y)
    {
        layer.Bias.CopyTo(y);
        int width = y.Length;
        int vectorEnd = Vector.IsHardwareAccelerated ? width - (width % Vector<float>.Count) : 0;
        var ys = MemoryMarshal.Cast<float, Vector<float>>(y[..vectorEnd]);
        int k = 0;
        for (; k + 4 <= count; k += 4)
        {
            var w0 = layer.Row(indices[k]);
            var w1 = layer.Row(indices[k + 1]);
            var w2 = layer.Row(indices[k + 2]);
            var w3 = layer.Row(indices[k + 3]);
            float a0 = values[k], a1 = values[k + 1], a2 = values[k + 2], a3 = values[k + 3];
            var v0 = MemoryMarshal.Cast<float, Vector<float>>(w0[..vectorEnd]);
            var v1 = MemoryMarshal.Cast<float, Vector<float>>(w1[..vectorEnd]);
            var v2 = MemoryMarshal.Cast<float, Vector<float>>(w2[..vectorEnd]);
            var v3 = MemoryMarshal.Cast<float, Vector<float>>(w3[..vectorEnd]);
            var s0 = new Vector<float>(a0);
            var s1 = new Vector<float>(a1);
            var s2 = new Vector<float>(a2);
            var s3 = new Vector<float>(a3);
            for (int v = 0; v < ys.Length; v++)
            {
                var t = ys[v];
                t += s0 * v0[v];
                t += s1 * v1[v];
                t += s2 * v2[v];
                t += s3 * v3[v];
                ys[v] = t;
            }
            for (int i = vectorEnd; i < width; i++)
            {
                float t = y[i];
                t += a0 * w0[i];
                t += a1 * w1[i];
                t += a2 * w2[i];
                t += a3 * w3[i];
                y[i] = t;
            }
        }
        for (; k < count; k++)
        {
            var w = layer.Row(indices[k]);
            float a = values[k];
            var vw = MemoryMarshal.Cast<float, Vector<float>>(w[..vectorEnd]);
            var s = new Vector<float>(a);
            for (int v = 0; v < ys.Length; v++)
                ys[v] += s * vw[v];
            for (int i = vectorEnd; i < width; i++)
                y[i] += a * w[i];
        }
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

    private static AlignedFloats Transpose(float[] weights, int rows, int columns)
    {
        var aligned = new AlignedFloats(weights.Length);
        var t = aligned.Span;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                t[(c * rows) + r] = weights[(r * columns) + c];
        }
        return aligned;
    }

    private sealed record Layer(int Inputs, int Outputs, AlignedFloats Transposed, float[] Weights, float[] Bias, Norm? Normalization)
    {
        public ReadOnlySpan<float> Row(int input) => Transposed.Span.Slice(input * Outputs, Outputs);
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
