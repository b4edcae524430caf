using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// A fitted network's Transform scores rows in blocks: every column of every row must equal what the standard chain
/// (row by row, as a saved and loaded model scores) and a PredictionEngine give, whatever the row count, the
/// columns a cursor activates, sparse or NaN feature rows; and the cursor keeps ML.NET's contracts (Position,
/// row ids, inactive columns, getters before MoveNext, shuffled cursors, cursor sets).
/// </summary>
[TestClass]
public sealed class BlockScoringTests
{
    public sealed class WideRow
    {
        public int Id { get; set; }

        public string Name { get; set; } = "";

        [VectorType(3)]
        public float[] Extra { get; set; } = new float[3];

        [VectorType(40)]
        public VBuffer<float> Features { get; set; }

        public bool Label { get; set; }

        public float Target { get; set; }

        public uint Class { get; set; }
    }

    /// <summary>Rows with 40 features: even rows dense, odd rows sparse (3 or 20 non-zeros), row 4 holding a NaN unless <paramref name="nan"/> is false (training rows).</summary>
    private static IDataView Data(MLContext ml, int rows, int seed, bool nan = true)
    {
        var random = new Random(seed);
        var list = new List<WideRow>();
        for (int i = 0; i < rows; i++)
        {
            VBuffer<float> features;
            if (i % 2 == 0)
            {
                var values = Enumerable.Range(0, 40).Select(_ => random.NextDouble() < 0.4 ? 0f : (float)((random.NextDouble() * 2) - 1)).ToArray();
                if (i == 4 && nan)
                    values[7] = float.NaN;
                features = new VBuffer<float>(40, values);
            }
            else
            {
                // rows 1, 5, 9, …: 3 non-zeros (scored alone); rows 3, 7, …: stored sparse with 20 non-zeros (scored in the block)
                var indices = (i % 4 == 1 ? new[] { i % 40, (i + 13) % 40, (i + 27) % 40 } : Enumerable.Range(0, 20).Select(k => (i + (2 * k)) % 40).ToArray()).Distinct().OrderBy(k => k).ToArray();
                features = new VBuffer<float>(40, indices.Length, indices.Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray(), indices);
            }
            var dense = features.DenseValues().ToArray();
            float signal = dense[0] + dense[1] - dense[2] + (dense[3] * dense[4]);
            list.Add(new WideRow
            {
                Id = i, Name = $"row{i}", Extra = new[] { i, -i, 0.5f * i }, Features = features,
                Label = signal > 0, Target = signal, Class = (uint)(i % 3),
            });
        }
        var schema = SchemaDefinition.Create(typeof(WideRow));
        schema[nameof(WideRow.Class)].ColumnType = new KeyDataViewType(typeof(uint), 3);
        return ml.Data.LoadFromEnumerable(list, schema);
    }

    private static DenseNetworkOptions Options(string label) => new() { LabelColumnName = label, HiddenLayerSizes = new[] { 9 }, Epochs = 2, Seed = 1 };

    private static IEnumerable<(string Task, DenseNetworkTransformer Model)> Models(MLContext ml)
    {
        var train = Data(ml, 120, 1, nan: false);
        yield return ("binary", ml.BinaryClassification.Trainers.DenseNetwork(Options("Label")).Fit(train));
        yield return ("multiclass", ml.MulticlassClassification.Trainers.DenseNetwork(Options("Class")).Fit(train));
        yield return ("regression", ml.Regression.Trainers.DenseNetwork(Options("Target")).Fit(train));
    }

    /// <summary>Every value of the named columns, row by row, as text that keeps a float's exact bits.</summary>
    private static List<string> Read(IDataView data, params string[] names)
    {
        var columns = names.Select(n => data.Schema[n]).ToArray();
        var rows = new List<string>();
        using var cursor = data.GetRowCursor(columns);
        var readers = columns.Select(c => Reader(cursor, c)).ToArray();
        while (cursor.MoveNext())
            rows.Add(string.Join(" | ", readers.Select(r => r())));
        return rows;
    }

    private static Func<string> Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        static string Bits(float f) => BitConverter.SingleToInt32Bits(f).ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
        switch (column.Type)
        {
            case VectorDataViewType:
                var vector = cursor.GetGetter<VBuffer<float>>(column);
                return () => { VBuffer<float> v = default; vector(ref v); return string.Join(",", v.DenseValues().Select(Bits)); };
            case KeyDataViewType:
                var key = cursor.GetGetter<uint>(column);
                return () => { uint v = 0; key(ref v); return $"key {v}"; };
            case BooleanDataViewType:
                var flag = cursor.GetGetter<bool>(column);
                return () => { bool v = false; flag(ref v); return v.ToString(); };
            case TextDataViewType:
                var text = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                return () => { ReadOnlyMemory<char> v = default; text(ref v); return v.ToString(); };
            default:
                if (column.Type.RawType == typeof(int))
                {
                    var integer = cursor.GetGetter<int>(column);
                    return () => { int v = 0; integer(ref v); return v.ToString(System.Globalization.CultureInfo.InvariantCulture); };
                }
                var number = cursor.GetGetter<float>(column);
                return () => { float v = 0; number(ref v); return Bits(v); };
        }
    }

    private static string[] Heads(string task) => task switch
    {
        "binary" => new[] { "Score", "Probability", "PredictedLabel" },
        "multiclass" => new[] { "Score", "PredictedLabel" },
        _ => new[] { "Score" },
    };

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    [DataRow(256)]
    [DataRow(257)]
    [DataRow(600)]
    public void Transform_AnyRowCount_EveryColumnEqualsTheChainRowByRow(int rows)
    {
        var ml = new MLContext(1);
        var data = Data(ml, rows, 7);
        foreach (var (task, model) in Models(ml))
        {
            var names = new[] { "Id", "Name", "Extra", "Features", "Label", "Target", "Class" }.Concat(Heads(task)).ToArray();
            var blocked = Read(model.Transform(data), names);
            var chain = Read(model.Inner.Transform(data), names);
            Assert.HasCount(rows, blocked, task);
            CollectionAssert.AreEqual(chain, blocked, $"{task}: block scoring differs from the chain");
        }
    }

    [TestMethod]
    public void Transform_OnlySomeColumnsActive_EachSubsetEqualsTheChain()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 300, 8);
        foreach (var (task, model) in Models(ml))
        {
            var scored = model.Transform(data);
            foreach (var subset in new[] { new[] { "Score" }, new[] { Heads(task)[^1] }, new[] { "Name", "Score" }, new[] { "Id" }, new[] { "Extra", Heads(task)[^1], "Id" } })
                CollectionAssert.AreEqual(Read(model.Inner.Transform(data), subset), Read(scored, subset), $"{task} {string.Join(",", subset)}");
        }
    }

    [TestMethod]
    public void Transform_SavedAndLoaded_PredictionEngineAndTransformAgreeBitForBit()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 270, 9);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(Options("Label")).Fit(Data(ml, 120, 1, nan: false));
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(2).Model.Load(stream, out _);
        var engine = ml.Model.CreatePredictionEngine<WideRow, BinaryPrediction>(model);
        var fromEngine = ml.Data.CreateEnumerable<WideRow>(data, reuseRowObject: false)
            .Select(r => engine.Predict(r)).Select(p => $"{BitConverter.SingleToInt32Bits(p.Score):X8} | {BitConverter.SingleToInt32Bits(p.Probability):X8} | {p.PredictedLabel}").ToList();

        var blocked = Read(model.Transform(data), "Score", "Probability", "PredictedLabel");
        var fromLoaded = Read(loaded.Transform(data), "Score", "Probability", "PredictedLabel");

        CollectionAssert.AreEqual(fromLoaded, blocked);
        CollectionAssert.AreEqual(fromEngine, blocked);
    }

    [TestMethod]
    public void Transform_CursorKinds_BlocksOnlyForSequentialCursorsThatNeedAScore()
    {
        var ml = new MLContext(1);
        var (_, model) = Models(ml).First();
        var scored = model.Transform(Data(ml, 20, 13));
        Assert.IsInstanceOfType<MlNetDeep.Network.BlockScoringView>(scored, "a fitted model's Transform scores in blocks");
        using (var cursor = scored.GetRowCursor(new[] { scored.Schema["Score"] }))
            Assert.IsInstanceOfType<MlNetDeep.Network.BlockCursor>(cursor);
        using (var cursor = scored.GetRowCursor(new[] { scored.Schema["Id"] }))
            Assert.IsNotInstanceOfType<MlNetDeep.Network.BlockCursor>(cursor, "no scoring column: the chain's own cursor");
        using (var cursor = scored.GetRowCursor(new[] { scored.Schema["Score"] }, new Random(1)))
            Assert.IsNotInstanceOfType<MlNetDeep.Network.BlockCursor>(cursor, "shuffled: the chain's own cursor");
    }

    [TestMethod]
    public void Cursor_PositionIdsAndCounts_FollowTheChainsCursor()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 530, 10);
        var (_, model) = Models(ml).First();
        var scored = model.Transform(data);
        var chain = model.Inner.Transform(data);
        using var a = scored.GetRowCursor(new[] { scored.Schema["Score"] });
        using var b = chain.GetRowCursor(new[] { chain.Schema["Score"] });
        var idA = a.GetIdGetter();
        var idB = b.GetIdGetter();
        Assert.AreEqual(-1, a.Position);
        long n = 0;
        while (a.MoveNext())
        {
            Assert.IsTrue(b.MoveNext());
            Assert.AreEqual(n++, a.Position);
            DataViewRowId x = default, y = default;
            idA(ref x);
            idB(ref y);
            Assert.AreEqual(y, x, $"row {n - 1}");
        }
        Assert.IsFalse(b.MoveNext());
        Assert.AreEqual(530, n);
        Assert.IsFalse(a.MoveNext(), "MoveNext stays false after the end");
        Assert.AreEqual(chain.GetRowCount(), scored.GetRowCount());
    }

    [TestMethod]
    public void Cursor_InactiveColumnOrNoRow_ThrowsInvalidOperationException()
    {
        var ml = new MLContext(1);
        var (_, model) = Models(ml).First();
        var scored = model.Transform(Data(ml, 10, 11));
        using var cursor = scored.GetRowCursor(new[] { scored.Schema["Score"] });
        Assert.IsFalse(cursor.IsColumnActive(scored.Schema["Name"]));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema["Name"])).Message, "'Name' was not requested");
        var score = cursor.GetGetter<float>(scored.Schema["Score"]);
        float value = 0;
        Assert.ThrowsExactly<InvalidOperationException>(() => score(ref value));
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<double>(scored.Schema["Score"]));
        Assert.IsTrue(cursor.MoveNext());
        score(ref value);
        Assert.IsFalse(float.IsNaN(value));
    }

    [TestMethod]
    public void Cursor_ShuffledAndCursorSets_ScoreEveryRowAsTheChainDoes()
    {
        var ml = new MLContext(1);
        var data = ml.Data.Cache(Data(ml, 300, 12));
        var (_, model) = Models(ml).Skip(1).First();
        var scored = model.Transform(data);
        var expected = Read(model.Inner.Transform(data), "Id", "Score", "PredictedLabel").OrderBy(s => s, StringComparer.Ordinal).ToList();
        var columns = new[] { scored.Schema["Id"], scored.Schema["Score"], scored.Schema["PredictedLabel"] };

        var shuffled = new List<string>();
        using (var cursor = scored.GetRowCursor(columns, new Random(3)))
        {
            var readers = columns.Select(c => Reader(cursor, c)).ToArray();
            while (cursor.MoveNext())
                shuffled.Add(string.Join(" | ", readers.Select(r => r())));
        }
        var fromSet = new List<string>();
        foreach (var cursor in scored.GetRowCursorSet(columns, 2))
        {
            using (cursor)
            {
                var readers = columns.Select(c => Reader(cursor, c)).ToArray();
                while (cursor.MoveNext())
                    fromSet.Add(string.Join(" | ", readers.Select(r => r())));
            }
        }

        CollectionAssert.AreEqual(expected, shuffled.OrderBy(s => s, StringComparer.Ordinal).ToList());
        CollectionAssert.AreEqual(expected, fromSet.OrderBy(s => s, StringComparer.Ordinal).ToList());
    }
}
