using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

/// <summary>The ML.NET columns the experiments rely on: "Features"/"Label" for images, "Text"/"Label" for documents.</summary>
[TestClass]
public sealed class DataViewSchemaTests
{
    [TestMethod]
    public void ImageExamples_LoadAsFeatures784SingleVectorAndInt32Label()
    {
        var rows = MnistLoader.Load(new DataLocations().EmbeddedFashionMnist).Test.Take(5).ToArray();

        var view = new MLContext(seed: 1).Data.LoadFromEnumerable(rows);

        var features = view.Schema["Features"].Type as VectorDataViewType;
        Assert.IsNotNull(features);
        Assert.AreEqual((NumberDataViewType.Single, 784), (features.ItemType, features.Size));
        Assert.AreEqual(NumberDataViewType.Int32, view.Schema["Label"].Type);
        CollectionAssert.AreEqual(rows.Select(r => r.Label).ToArray(), view.GetColumn<int>("Label").ToArray());
    }

    [TestMethod]
    public void TextExamples_LoadAsTextAndBooleanLabelWithoutSource()
    {
        var rows = new[] { new TextExample { Text = "win money", Label = true, Source = "spam-1/1.txt" } };

        var view = new MLContext(seed: 1).Data.LoadFromEnumerable(rows);

        Assert.AreEqual(TextDataViewType.Instance, view.Schema["Text"].Type);
        Assert.AreEqual(BooleanDataViewType.Instance, view.Schema["Label"].Type);
        Assert.IsNull(view.Schema.GetColumnOrNull("Source"));
    }
}
