using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Network;

/// <summary>
/// A trained dense network compiled for scoring one row at a time in managed code (no native session, nothing to
/// dispose, safe to share between threads). Each layer's kernel is stored transposed, [in, out], so a row is
/// scored as a sum of kernel rows weighted by the non-zero inputs: sparse inputs cost their non-zeros, and the
/// SIMD lanes run across outputs, so every output is summed in input order whatever the vector width (the same
/// bits on every machine with IEEE Single arithmetic).
/// </summary>
internal sealed class ScoringNetwork
{
    [ThreadStatic]
    private static float[]? t_scratchA;

    [ThreadStatic]
    private static float[]? t_scratchB;

    private readonly Layer[] _layers;
    private readonly int _widest;

    public ScoringNetwork(NetworkDefinition network)
    {
        Definition = network;
        _layers = network.Layers.Select(l => new Layer(l.InputSize, l.OutputSize, Transpose(l.Weights, l.OutputSize, l.InputSize), l.Bias)).ToArray();
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
        var a = Scratch(ref t_scratchA);
        var b = Scratch(ref t_scratchB);
        var first = _layers[0];
        var current = a.AsSpan(0, first.Outputs);
        first.Bias.CopyTo(current);
        var values = features.GetValues();
        if (features.IsDense)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] != 0f)
                    Axpy(values[i], first.Row(i), current);
            }
        }
        else
        {
            var indices = features.GetIndices();
            for (int k = 0; k < values.Length; k++)
            {
                if (values[k] != 0f)
                    Axpy(values[k], first.Row(indices[k]), current);
            }
        }

        for (int l = 1; l < _layers.Length; l++)
        {
            Activate(current);
            var layer = _layers[l];
            var next = (l % 2 == 1 ? b : a).AsSpan(0, layer.Outputs);
            layer.Bias.CopyTo(next);
            for (int i = 0; i < current.Length; i++)
            {
                if (current[i] != 0f)
                    Axpy(current[i], layer.Row(i), next);
            }
            current = next;
        }
        current.CopyTo(output);
    }

    private float[] Scratch(ref float[]? buffer)
    {
        if (buffer is null || buffer.Length < _widest)
            buffer = new float[Math.Max(_widest, 64)];
        return buffer;
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

    /// <summary>y += a·x, vectorized across y.</summary>
    private static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && y.Length >= Vector<float>.Count)
        {
            var va = new Vector<float>(a);
            var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
            var ys = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < ys.Length; v++)
                ys[v] += va * xs[v];
            i = ys.Length * Vector<float>.Count;
        }
        for (; i < y.Length; i++)
            y[i] += a * x[i];
    }

    private static float[] Transpose(float[] weights, int rows, int columns)
    {
        var t = new float[weights.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                t[(c * rows) + r] = weights[(r * columns) + c];
        }
        return t;
    }

    private sealed record Layer(int Inputs, int Outputs, float[] Transposed, float[] Bias)
    {
        public ReadOnlySpan<float> Row(int input) => Transposed.AsSpan(input * Outputs, Outputs);
    }
}
