using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

/// <summary>The full data sets as build/setup.sh installs them; inconclusive where they are not installed.</summary>
[TestClass]
public sealed class InstalledDataTests
{
    [TestMethod]
    public void FullData_Has60000Plus10000ImagesAnd6046MailsWith1896Spam()
    {
        DataSource source;
        try
        {
            source = DataSource.Resolve(null, full: true);
        }
        catch (DirectoryNotFoundException e)
        {
            Assert.Inconclusive($"Full data not installed here: {e.Message}");
            return;
        }

        Assert.AreEqual((60000, 10000, MnistKind.FashionMnist), (source.Images.Train.Count, source.Images.Test.Count, source.Images.Kind));
        Assert.AreEqual(MnistKind.FashionMnist, MnistLoader.Detect(source.Images.Train), "auto-detection on the full training set");
        Assert.HasCount(6046, source.Text.Examples);
        Assert.AreEqual(1896, source.Text.Examples.Count(e => e.Label));
        var split = source.Text.Split(seed: 42);
        Assert.AreEqual((4534, 1512), (split.Train.Count, split.Test.Count));
    }
}
