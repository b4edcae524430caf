using Microsoft.ML.Data;
using MlNetDeep.Network;
using MlNetDeep.Training;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// The packed scoring kernels on networks built from random weights (no training, no libtorch): one row and a block
/// of rows give the same values, both match a plain Double reference of the network, and panel, vector and
/// four-row-group boundaries (sizes that are not multiples of them) change nothing.
/// </summary>
[TestClass]
public sealed class ScoringKernelTests
{
    private static NetworkDefinition RandomNetwork(int seed, int[] sizes, Activation activation, NormalizationKind normalization, double zeroWeights = 0)
    {
        var random = new Random(seed);
        float Next() => random.NextDouble() < zeroWeights ? 0f : (float)((random.NextDouble() * 2) - 1);
        var layers = new List<DenseLayer>();
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            int inputs = sizes[l], outputs = sizes[l + 1];
            var weights = Enumerable.Range(0, inputs * outputs).Select(_ => Next() / MathF.Sqrt(inputs)).ToArray();
            var bias = Enumerable.Range(0, outputs).Select(_ => Next() * 0.1f).ToArray();
            NormalizationWeights? norm = null;
            bool hidden = l + 2 < sizes.Length;
            if (hidden && normalization != NormalizationKind.None)
            {
                var gamma = Enumerable.Range(0, outputs).Select(_ => 1f + (Next() * 0.5f)).ToArray();
                var beta = Enumerable.Range(0, outputs).Select(_ => Next() * 0.2f).ToArray();
                norm = normalization == NormalizationKind.BatchNormalization
                    ? new NormalizationWeights(normalization, 1e-3, gamma, beta, Enumerable.Range(0, outputs).Select(_ => Next()).ToArray(), Enumerable.Range(0, outputs).Select(_ => 0.5f + MathF.Abs(Next())).ToArray())
                    : new NormalizationWeights(normalization, 1e-3, gamma, beta);
            }
            layers.Add(new DenseLayer(inputs, outputs, weights, bias, norm));
        }
        return new NetworkDefinition(sizes[^1] > 1 ? NetworkTask.Multiclass : NetworkTask.Regression, activation, layers,
            sizes[^1] > 1 ? Enumerable.Range(0, sizes[^1]).Select(i => $"c{i}").ToArray() : null, "Features", null);
    }

    /// <summary>Rows with about half their values zero, some rows all zero, and a few large values.</summary>
    private static float[] RandomRows(int seed, int rows, int inputs)
    {
        var random = new Random(seed);
        var x = new float[rows * inputs];
        for (int r = 0; r < rows; r++)
        {
            if (r % 7 == 3)
                continue; // an all-zero row
            for (int k = 0; k < inputs; k++)
                x[(r * inputs) + k] = random.NextDouble() < 0.5 ? 0f : (float)(random.NextDouble() * 4) - 1;
        }
        return x;
    }

    /// <summary>The network in Double, straight from its definition: y = W·x + b, normalization, activation.</summary>
    private static double[] Reference(NetworkDefinition network, ReadOnlySpan<float> row)
    {
        var x = row.ToArray().Select(v => (double)v).ToArray();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var y = new double[layer.OutputSize];
            for (int o = 0; o < y.Length; o++)
            {
                double sum = layer.BiasArray[o];
                for (int k = 0; k < layer.InputSize; k++)
                    sum += layer.WeightsArray[(o * layer.InputSize) + k] * x[k];
                y[o] = sum;
            }
            if (l + 1 == network.Layers.Count)
                return y;
            if (layer.Normalization is { } n)
            {
                if (n.Kind == NormalizationKind.BatchNormalization)
                {
                    for (int o = 0; o < y.Length; o++)
                        y[o] = ((y[o] - n.MovingMeanArray[o]) / Math.Sqrt(n.MovingVarianceArray[o] + n.Epsilon) * n.GammaArray[o]) + n.BetaArray[o];
                }
                else
                {
                    double mean = y.Average(), variance = y.Select(v => (v - mean) * (v - mean)).Average();
                    for (int o = 0; o < y.Length; o++)
                        y[o] = ((y[o] - mean) / Math.Sqrt(variance + n.Epsilon) * n.GammaArray[o]) + n.BetaArray[o];
                }
            }
            x = y.Select(v => network.Activation switch
            {
                Activation.Relu => Math.Max(v, 0),
                Activation.Tanh => Math.Tanh(v),
                Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
                _ => 0.5 * v * (1 + ScoringNetwork.Erf(v / Math.Sqrt(2))),
            }).ToArray();
        }
        throw new InvalidOperationException("unreachable");
    }

    public static IEnumerable<object[]> Shapes() => new[]
    {
        new object[] { new[] { 784, 512, 10 }, Activation.Relu, NormalizationKind.None },
        new object[] { new[] { 1, 1 }, Activation.Relu, NormalizationKind.None },
        new object[] { new[] { 3, 5, 1 }, Activation.Tanh, NormalizationKind.None },
        new object[] { new[] { 30, 16, 16, 1 }, Activation.Relu, NormalizationKind.BatchNormalization },
        new object[] { new[] { 17, 65, 33, 7 }, Activation.Sigmoid, NormalizationKind.LayerNormalization },
        new object[] { new[] { 70, 129, 2 }, Activation.Gelu, NormalizationKind.None },
        new object[] { new[] { 9, 64, 48, 16 }, Activation.Relu, NormalizationKind.LayerNormalization },
    };

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void ForwardBlock_AnyRowCount_GivesEachRowTheBitsOfForwardAndMatchesDoubleReference(int[] sizes, Activation activation, NormalizationKind normalization)
    {
        var definition = RandomNetwork(sizes.Sum(), sizes, activation, normalization);
        var network = new ScoringNetwork(definition);
        int inputs = sizes[0], outputs = sizes[^1];
        foreach (int rows in new[] { 1, 2, 3, 4, 5, 7, 8, 13 })
        {
            var x = RandomRows(rows, rows, inputs);
            var block = new float[rows * outputs];
            network.ForwardBlock(x, rows, block);
            for (int r = 0; r < rows; r++)
            {
                var one = new float[outputs];
                network.Forward(new VBuffer<float>(inputs, x.AsSpan(r * inputs, inputs).ToArray()), one);
                var expected = Reference(definition, x.AsSpan(r * inputs, inputs));
                for (int o = 0; o < outputs; o++)
                {
                    Assert.AreEqual(one[o], block[(r * outputs) + o], $"rows={rows} row {r} output {o}: block and single row differ");
                    Assert.AreEqual(expected[o], one[o], 1e-4 * (1 + Math.Abs(expected[o])), $"rows={rows} row {r} output {o}: far from the Double reference");
                }
            }
        }
    }

    [TestMethod]
    public void Forward_SparseRow_EqualsSameRowDense()
    {
        var definition = RandomNetwork(5, new[] { 100, 40, 3 }, Activation.Relu, NormalizationKind.None);
        var network = new ScoringNetwork(definition);
        var dense = RandomRows(11, 1, 100);
        var indices = Enumerable.Range(0, 100).Where(k => dense[k] != 0f).ToArray();
        Assert.IsTrue(indices.Length is > 10 and < 90, "the row should be partly zero");
        var sparse = new VBuffer<float>(100, indices.Length, indices.Select(k => dense[k]).ToArray(), indices);
        var fromDense = new float[3];
        var fromSparse = new float[3];
        network.Forward(new VBuffer<float>(100, dense), fromDense);
        network.Forward(sparse, fromSparse);
        CollectionAssert.AreEqual(fromDense, fromSparse);
        var fromBlock = new float[3];
        network.ForwardBlock(dense, 1, fromBlock);
        CollectionAssert.AreEqual(fromDense, fromBlock);
    }

    [TestMethod]
    public void ForwardBlock_NaNFeature_GivesNaNOutputsForThatRowOnly()
    {
        var network = new ScoringNetwork(RandomNetwork(6, new[] { 20, 8, 2 }, Activation.Relu, NormalizationKind.None));
        var x = RandomRows(3, 6, 20);
        x[(2 * 20) + 5] = float.NaN;
        var y = new float[6 * 2];
        network.ForwardBlock(x, 6, y);
        for (int r = 0; r < 6; r++)
            Assert.AreEqual(r == 2, float.IsNaN(y[r * 2]) && float.IsNaN(y[(r * 2) + 1]), $"row {r}");
    }

    [TestMethod]
    public void ForwardBlock_TooFewValues_ThrowsArgumentException()
    {
        var network = new ScoringNetwork(RandomNetwork(7, new[] { 4, 3, 2 }, Activation.Relu, NormalizationKind.None));
        var error = Assert.ThrowsExactly<ArgumentException>(() => network.ForwardBlock(new float[7], 2, new float[4]));
        StringAssert.Contains(error.Message, "needs 8 feature values");
    }
}
