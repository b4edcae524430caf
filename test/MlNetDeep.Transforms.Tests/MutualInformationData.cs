using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Transforms.Tests;

/// <summary>The hand-made table and the small labeled views of the mutual-information (and other) tests.</summary>
public static class MutualInformationData
{
    // Hand-made table: 8 rows, labels T,T,T,T,F,F,F,F.
    // slot 0 (binary):          1,1,1,0,0,0,0,1   joint counts (x,label): (1,T)=3 (0,T)=1 (0,F)=3 (1,F)=1
    // slot 1 (0/5/10, 3 bins):  0,0,0,10,10,5,5,0 → bins 0,0,0,2,2,1,1,0: (0,T)=3 (2,T)=1 (2,F)=1 (1,F)=2 (0,F)=1
    // slot 2 (constant):        3 everywhere
    public static readonly float[][] Table =
    {
        new[] { 1f, 0f, 3f }, new[] { 1f, 0f, 3f }, new[] { 1f, 0f, 3f }, new[] { 0f, 10f, 3f },
        new[] { 0f, 10f, 3f }, new[] { 0f, 5f, 3f }, new[] { 0f, 5f, 3f }, new[] { 1f, 0f, 3f },
    };

    public static readonly bool[] TableLabels = { true, true, true, true, false, false, false, false };

    // I = Σ p(x,y) ln(p(x,y) / (p(x) p(y))), worked out term by term from the counts above (p(T) = p(F) = 1/2):
    // slot 0: 2·(3/8)·ln((3/8)/(1/2·1/2)) + 2·(1/8)·ln((1/8)/(1/2·1/2)) = (3/4)ln(3/2) + (1/4)ln(1/2)
    public static readonly double Slot0 = (0.75 * Math.Log(1.5)) + (0.25 * Math.Log(0.5));

    // slot 1: (0,T) (3/8)ln((3/8)/(4/8·1/2)) + (2,T) (1/8)ln(1) + (2,F) (1/8)ln(1) + (1,F) (2/8)ln((2/8)/(2/8·1/2)) + (0,F) (1/8)ln((1/8)/(4/8·1/2))
    public static readonly double Slot1 = (3.0 / 8 * Math.Log(1.5)) + (2.0 / 8 * Math.Log(2)) + (1.0 / 8 * Math.Log(0.5));

    public static MutualInformationSelectingEstimator Options(MLContext ml, Action<MutualInformationSelectionOptions> set)
    {
        var options = new MutualInformationSelectionOptions { OutputColumnName = "Selected", InputColumnName = "Features", BiasCorrection = MutualInformationBiasCorrection.None };
        set(options);
        return ml.Transforms.FeatureSelection.SelectByMutualInformation(options);
    }

    public static IDataView TableView(MLContext ml, string[]? slotNames = null) => Build(ml, Table, TableLabels, slotNames);

    public static IDataView Build(MLContext ml, float[][] features, bool[] labels, string[]? slotNames = null)
    {
        var definition = Definition<BinaryRow>(features[0].Length);
        if (slotNames is not null)
        {
            var names = new VBuffer<ReadOnlyMemory<char>>(slotNames.Length, slotNames.Select(s => s.AsMemory()).ToArray());
            definition["Features"].AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, slotNames.Length));
        }
        return ml.Data.LoadFromEnumerable(features.Select((f, i) => new BinaryRow { Features = f, Label = labels[i] }), definition);
    }

    public static IDataView Load(MLContext ml, KeyRow[] rows) => ml.Data.LoadFromEnumerable(rows, Definition<KeyRow>(rows[0].Features.Length));

    public static SchemaDefinition Definition<T>(int size)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return definition;
    }

    public sealed class BinaryRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }

    public sealed class KeyRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public string Class { get; set; } = "";
    }

    public sealed class RegressionRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }

    public sealed class SparseRow
    {
        public VBuffer<float> Features { get; set; }

        public bool Label { get; set; }
    }
}
