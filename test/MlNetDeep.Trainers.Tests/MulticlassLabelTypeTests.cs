using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// Multiclass labels come back in their own type and values (as ML.NET's in-box multiclass trainers give them):
/// PredictedLabel is the label's key type with its KeyValues, MapKeyToValue returns the label's values, Score's
/// slot names are those values, before and after save → load, through a Model Builder-style consumption class.
/// </summary>
[TestClass]
public sealed class MulticlassLabelTypeTests
{
    [TestMethod]
    public void Single_LabelsRoundTripInTheirOwnType() => RoundTrip(new[] { 7.5f, -1f, 3f }, NumberDataViewType.Single);

    [TestMethod]
    public void Int32_LabelsRoundTripInTheirOwnType() => RoundTrip(new[] { -4, 0, 9 }, NumberDataViewType.Int32);

    [TestMethod]
    public void UInt32_LabelsRoundTripInTheirOwnType() => RoundTrip(new[] { 5u, 0u, 2u }, NumberDataViewType.UInt32);

    [TestMethod]
    public void Boolean_LabelsRoundTripInTheirOwnType() => RoundTrip(new[] { true, false }, BooleanDataViewType.Instance);

    [TestMethod]
    public void String_LabelsRoundTripInTheirOwnType() => RoundTrip(new[] { "ham", "spam", "eggs" }, TextDataViewType.Instance);

    [TestMethod]
    public void String_OddUnicodeClassNames_KeepTheirPredictedLabel()
    {
        // a lone high surrogate, a lone low surrogate, a combining sequence and an astral-plane emoji
        var classes = new[] { "\uD800x", "y\uDFFF", "e\u0301", "\U0001F642" };
        var (model, data, ml) = Train(classes);

        using var engine = ml.Model.CreatePredictionEngine<LabeledRow<string>, ModelBuilderOutput<string>>(model);
        var rows = Rows(classes, 40, seed: 9);
        int correct = rows.Count(r => engine.Predict(r).PredictedLabel == r.Label);
        Assert.IsGreaterThanOrEqualTo(36, correct, "in memory, every class name comes back exactly, lone surrogates included");

        var reloaded = SaveAndLoad(ml, model, data);
        using var loadedEngine = new MLContext().Model.CreatePredictionEngine<LabeledRow<string>, ModelBuilderOutput<string>>(reloaded);
        foreach (var row in rows)
        {
            var loadedPrediction = loadedEngine.Predict(row);
            Assert.IsFalse(string.IsNullOrEmpty(loadedPrediction.PredictedLabel), "after Model.Load the predicted label is never lost");
            Assert.AreEqual(engine.Predict(row).PredictedLabel.Length, loadedPrediction.PredictedLabel.Length);
        }
    }

    private static void RoundTrip<T>(T[] classes, DataViewType itemType) where T : notnull
    {
        var (model, data, ml) = Train(classes);
        var loaded = SaveAndLoad(ml, model, data);
        foreach (var (name, m) in new[] { ("fitted", model), ("loaded", loaded) })
        {
            var scored = m.Transform(data);
            var predicted = scored.Schema["PredictedLabel"];
            Assert.AreEqual(itemType, predicted.Type, $"{name}: MapKeyToValue gives the label's own type");

            var score = scored.Schema["Score"];
            VBuffer<ReadOnlyMemory<char>> slotNames = default;
            score.GetSlotNames(ref slotNames);
            var keyOrder = KeyOrder(ml, data);
            CollectionAssert.AreEqual(keyOrder.Select(Text).ToArray(), slotNames.DenseValues().Select(s => s.ToString()).ToArray(),
                $"{name}: Score's slot names are the label values in key order");
            Assert.AreEqual(classes.Length, ((VectorDataViewType)score.Type).Size);

            var labels = data.GetColumn<T>("Label").ToArray();
            var predictions = scored.GetColumn<T>("PredictedLabel").ToArray();
            int correct = labels.Zip(predictions).Count(p => EqualityComparer<T>.Default.Equals(p.First, p.Second));
            Assert.IsGreaterThanOrEqualTo(0.95 * labels.Length, correct, $"{name}: predicted values are the label values ({correct}/{labels.Length})");

            // Model Builder's consumption code: PredictionEngine<ModelInput, ModelOutput> with PredictedLabel in the label's type
            using var engine = ml.Model.CreatePredictionEngine<LabeledRow<T>, ModelBuilderOutput<T>>(m);
            var row = Rows(classes, 1, seed: 77)[0];
            var output = engine.Predict(row);
            Assert.AreEqual(row.Label, output.PredictedLabel, $"{name}: PredictionEngine");
            Assert.HasCount(classes.Length, output.Score);
            Assert.AreEqual(1.0, output.Score.Sum(), 1e-5);
        }
    }

    /// <summary>Trains MapValueToKey → DenseNetwork → MapKeyToValue("PredictedLabel"), as Model Builder generates it.</summary>
    private static (ITransformer Model, IDataView Data, MLContext Ml) Train<T>(T[] classes) where T : notnull
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(classes, 60 * classes.Length, seed: 1));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 8 }, Epochs = 30, BatchSize = 16, LearningRate = 0.01, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel", "PredictedLabel"));
        return (pipeline.Fit(data), data, ml);
    }

    private static ITransformer SaveAndLoad(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        return new MLContext().Model.Load(stream, out _);
    }

    /// <summary>The label values in the key order MapValueToKey gave them (first appearance).</summary>
    private static object[] KeyOrder(MLContext ml, IDataView data)
    {
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var column = keyed.Schema["Label"];
        var method = typeof(MulticlassLabelTypeTests).GetMethod(nameof(KeyValues), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(((VectorDataViewType)column.Annotations.Schema["KeyValues"].Type).ItemType.RawType);
        return (object[])method.Invoke(null, new object[] { column })!;
    }

    private static object[] KeyValues<TValue>(DataViewSchema.Column column)
    {
        VBuffer<TValue> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => (object)v!).ToArray();
    }

    private static string Text(object value) => value switch
    {
        ReadOnlyMemory<char> t => t.ToString(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    /// <summary>Class c sits at angle 2πc/K on a circle of radius 3, spread 0.4: separable.</summary>
    private static List<LabeledRow<T>> Rows<T>(T[] classes, int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<LabeledRow<T>>();
        for (int i = 0; i < count; i++)
        {
            int c = i % classes.Length;
            double angle = 2 * Math.PI * c / classes.Length;
            rows.Add(new LabeledRow<T>
            {
                Features = new[] { (float)(3 * Math.Cos(angle) + random.NextDouble() * 0.8 - 0.4), (float)(3 * Math.Sin(angle) + random.NextDouble() * 0.8 - 0.4) },
                Label = classes[c],
            });
        }
        return rows;
    }
}

public sealed class LabeledRow<T>
{
    [VectorType(2)]
    public float[] Features { get; set; } = new float[2];

    public T Label { get; set; } = default!;
}

/// <summary>The shape of Model Builder's generated ModelOutput for a multiclass model.</summary>
public sealed class ModelBuilderOutput<T>
{
    [ColumnName("PredictedLabel")]
    public T PredictedLabel { get; set; } = default!;

    [ColumnName("Score")]
    public float[] Score { get; set; } = Array.Empty<float>();
}
