using Microsoft.ML;
using MlNetDeep.NoiseChannels;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Transforms.Tests;

/// <summary>The values a noise-channel transform appends: the documented hash, its statistics, and exact input copies.</summary>
[TestClass]
public sealed class NoiseChannelValueTests
{
    [TestMethod]
    public void Transform_Uniform_AppendsTheDocumentedHashOfTheRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = NoiseChannelTests.Rows(20, 3);
        var model = ml.Transforms.AppendNoiseChannels("Noisy", "Features", numberOfChannels: 5, seed: 11).Fit(TestData.Vectors(ml, rows));

        var output = Columns.Vectors(model.Transform(TestData.Vectors(ml, rows)), "Noisy");

        var (a, b) = NoiseHash.Parameters(11, 5);
        for (int i = 0; i < rows.Length; i++)
        {
            CollectionAssert.AreEqual(rows[i], output[i].Take(3).ToArray(), "the input slots come first, unchanged");
            ulong h = RowFingerprint.Compute(rows[i]);
            for (int j = 0; j < 5; j++)
            {
                float expected = NoiseHash.Hash(h, a, b, j) * (1f / (1 << 24));
                Assert.AreEqual(expected, output[i][3 + j], $"row {i} channel {j}");
            }
        }
    }

    [TestMethod]
    public void Transform_PinnedRows_GiveTheValuesOfTheOnnxGraphOfEarlierVersions()
    {
        // recorded from the ONNX graph that computed the channels before it was replaced by standard ML.NET transformers
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, new[] { new[] { 0f, 1f, -2.5f }, new[] { float.NaN, 3f, 1e-40f } });
        var uniform = new[]
        {
            new[] { 0.5803092f, 0.3230602f, 0.8289988f, 0.25253057f, 0.16033351f },
            new[] { 0.74331707f, 0.6576299f, 0.51987094f, 0.73753184f, 0.1213091f },
        };
        var gaussian = new[]
        {
            new[] { 0.51142937f, -0.104651116f, -0.8243766f, -0.565804f, -1.3547826f },
            new[] { 0.8978791f, -0.26697725f, -0.105056286f, 0.59324634f, -0.27303404f },
        };

        var u = Columns.Vectors(ml.Transforms.AppendNoiseChannels("Noisy", "Features", 5, NoiseKind.Uniform, seed: 11).Fit(data).Transform(data), "Noisy");
        var g = Columns.Vectors(ml.Transforms.AppendNoiseChannels("Noisy", "Features", 5, NoiseKind.Gaussian, seed: 11).Fit(data).Transform(data), "Noisy");

        for (int i = 0; i < 2; i++)
        {
            Assert.IsTrue(Columns.BitEqual(uniform[i], u[i].Skip(3).ToArray()), $"uniform row {i}: {string.Join(", ", u[i].Skip(3))}");
            // ONNX Runtime's float Log/Cos and ML.NET's double ones rounded to float may differ in the last bits
            for (int j = 0; j < 5; j++)
                Assert.AreEqual(gaussian[i][j], g[i][3 + j], 1e-6, $"Gaussian row {i} channel {j}");
        }
    }

    [TestMethod]
    public void Transform_InputValues_AreCopiedBitForBit_SpecialAndRandomBitPatterns()
    {
        var ml = new MLContext(seed: 1);
        var specials = new[]
        {
            0f, -0f, float.Epsilon, -float.Epsilon, BitConverter.Int32BitsToSingle(0x007FFFFF), BitConverter.Int32BitsToSingle(0x00800000),
            float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1f, -1f, 0.1f, 1e-40f, 16777217f, 3.4e38f,
        };
        var random = new Random(5);
        var rows = new List<float[]> { specials };
        for (int r = 0; r < 300; r++)
            rows.Add(Enumerable.Range(0, specials.Length).Select(_ => BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31))).ToArray());
        var data = TestData.Vectors(ml, rows.ToArray());

        foreach (var kind in new[] { NoiseKind.Zeros, NoiseKind.Uniform })
        {
            var output = Columns.Vectors(ml.Transforms.AppendNoiseChannels("Noisy", "Features", 2, kind).Fit(data).Transform(data), "Noisy");
            for (int i = 0; i < rows.Count; i++)
            {
                for (int j = 0; j < specials.Length; j++)
                {
                    float expected = rows[i][j], actual = output[i][j];
                    if (float.IsNaN(expected))
                        Assert.IsTrue(float.IsNaN(actual), $"{kind} row {i} slot {j}: NaN became {actual}");
                    else
                        Assert.AreEqual(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual), $"{kind} row {i} slot {j}: {expected:R} became {actual:R}");
                }
            }
        }
    }

    [TestMethod]
    public void Transform_Uniform_HasTheMomentsOfUniformZeroOneAndUncorrelatedChannels()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, NoiseChannelTests.Rows(2000, 3));

        var output = Columns.Vectors(ml.Transforms.AppendNoiseChannels("Noisy", "Features", 10, seed: 12).Fit(data).Transform(data), "Noisy");

        var values = output.SelectMany(r => r.Skip(3)).Select(v => (double)v).ToArray();
        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average();
        // 20,000 draws: σ of the mean ≈ 0.002, of the variance ≈ 0.0005
        Assert.AreEqual(0.5, mean, 0.01);
        Assert.AreEqual(1.0 / 12, variance, 0.003);
        Assert.IsTrue(values.All(v => v >= 0 && v < 1));
        // neighbouring channels of a row are independent: 18,000 pairs, σ of the correlation ≈ 0.0075
        var pairs = output.SelectMany(r => Enumerable.Range(3, 9).Select(j => ((double)r[j] - mean, (double)r[j + 1] - mean))).ToArray();
        double correlation = pairs.Average(p => p.Item1 * p.Item2) / variance;
        Assert.AreEqual(0.0, correlation, 0.04);
    }

    [TestMethod]
    public void Transform_Zeros_AppendsExactZeros()
    {
        var ml = new MLContext(seed: 1);
        var rows = NoiseChannelTests.Rows(10, 3);

        var output = Columns.Vectors(ml.Transforms.AppendNoiseChannels("Noisy", "Features", 4, NoiseKind.Zeros).Fit(TestData.Vectors(ml, rows)).Transform(TestData.Vectors(ml, rows)), "Noisy");

        for (int i = 0; i < rows.Length; i++)
            CollectionAssert.AreEqual(rows[i].Concat(new float[4]).ToArray(), output[i]);
    }

    [TestMethod]
    public void Transform_Gaussian_HasMeanZeroAndUnitVariance()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, NoiseChannelTests.Rows(500, 2));

        var output = Columns.Vectors(ml.Transforms.AppendNoiseChannels("Noisy", "Features", 20, NoiseKind.Gaussian, seed: 9).Fit(data).Transform(data), "Noisy");

        var values = output.SelectMany(r => r.Skip(2)).Select(v => (double)v).ToArray();
        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average();
        // 10,000 draws: σ of the mean 0.01, of the variance ≈ 0.014, of the share within ±1.96 ≈ 0.0022
        Assert.AreEqual(0.0, mean, 0.05);
        Assert.AreEqual(1.0, variance, 0.07);
        Assert.AreEqual(0.95, values.Count(v => Math.Abs(v) < 1.96) / (double)values.Length, 0.011);
        Assert.IsTrue(values.All(double.IsFinite));
    }
}
