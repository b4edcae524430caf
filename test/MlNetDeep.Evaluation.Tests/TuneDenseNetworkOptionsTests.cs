using Microsoft.ML;

namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class TuneDenseNetworkOptionsTests
{
    private readonly MLContext _ml = new(seed: 1);

    [TestMethod]
    public void Defaults_AreTheDocumentedOnes()
    {
        var o = new DenseNetworkTuningOptions();
        Assert.AreEqual("Label", o.LabelColumnName);
        Assert.AreEqual("Features", o.FeatureColumnName);
        Assert.AreEqual(TimeSpan.FromMinutes(10), o.MaxTime);
        Assert.AreEqual(30, o.MaxTrials);
        Assert.AreEqual(5, o.NumberOfFolds);
        Assert.AreEqual(2, o.NumberOfRepeats);
        Assert.AreEqual(0.2, o.ValidationFraction);
        Assert.IsNull(o.Seed);
        Assert.AreEqual(Environment.ProcessorCount, o.MaxParallelTrials);
        Assert.IsNull(o.Progress);
        Assert.AreEqual(CancellationToken.None, o.CancellationToken);
        Assert.IsNull(o.BaseOptions);
        Assert.AreEqual("[16] [64] [64,64] [256,256] [512,512,512]", string.Join(" ", o.Architectures.Select(a => "[" + string.Join(",", a) + "]")));
        Assert.AreEqual(20, o.Template().Epochs, "the lecture's 20 epochs when no base options are given");
        Assert.AreNotSame(o.Architectures, new DenseNetworkTuningOptions().Architectures, "no shared default list");
    }

    [TestMethod]
    public void Validate_EveryInvalidOption_ListedInOneException()
    {
        var o = new DenseNetworkTuningOptions
        {
            LabelColumnName = " ",
            MaxTime = TimeSpan.Zero,
            MaxTrials = 0,
            NumberOfFolds = 1,
            NumberOfRepeats = 0,
            ValidationFraction = 0,
            MaxParallelTrials = 0,
            Architectures = new List<int[]> { new[] { 8 }, new[] { 16, 0 } },
            BaseOptions = new DenseNetworkOptions { ValidationFraction = 0.1, EarlyStopping = new EarlyStoppingOptions(), BatchSize = 0 },
        };

        var error = Assert.ThrowsExactly<ArgumentException>(() => _ml.BinaryClassification.TuneDenseNetwork(Data(), o));

        Assert.AreEqual(string.Join("\n",
            "Invalid DenseNetworkTuningOptions: 11 problem(s).",
            "Invalid value for LabelColumnName: expected a column name. Received: LabelColumnName=' '.",
            "Invalid value for MaxTime: expected a positive time span, or Timeout.InfiniteTimeSpan for no limit. Received: MaxTime=00:00:00.",
            "Invalid value for MaxTrials: expected an integer >= 1. Received: MaxTrials=0.",
            "Invalid value for NumberOfFolds: expected an integer >= 2. Received: NumberOfFolds=1.",
            "Invalid value for NumberOfRepeats: expected an integer >= 1. Received: NumberOfRepeats=0.",
            "Invalid value for ValidationFraction: expected a number in (0, 1): the diagnosis and early stopping read each fold's validation loss. Received: ValidationFraction=0.",
            "Invalid value for MaxParallelTrials: expected an integer >= 1. Received: MaxParallelTrials=0.",
            "Invalid value for Architectures[1]: expected every layer size > 0. Received: Architectures[1]='[16, 0]'.",
            "Invalid value for BaseOptions.ValidationFraction: expected 0 (set DenseNetworkTuningOptions.ValidationFraction instead). Received: BaseOptions.ValidationFraction=0.1.",
            "Invalid value for BaseOptions.EarlyStopping: expected null (the search must see a model overfit before it adds early stopping in its Regularize stage). Received: BaseOptions.EarlyStopping='set'.",
            "Invalid value for BaseOptions.BatchSize: expected an integer > 0. Received: BaseOptions.BatchSize=0.") + " (Parameter 'options')", error.Message);
    }

    [TestMethod]
    public void Validate_NoArchitectures_AndCallbacksInTheBaseOptions_AreRefused()
    {
        var o = new DenseNetworkTuningOptions
        {
            Architectures = new List<int[]>(),
            BaseOptions = new DenseNetworkOptions { Callbacks = { new ReduceLearningRateOnPlateau() } },
        };

        var error = Assert.ThrowsExactly<ArgumentException>(o.Validate);

        Assert.AreEqual(string.Join("\n",
            "Invalid DenseNetworkTuningOptions: 2 problem(s).",
            "Invalid value for Architectures: expected at least one list of hidden layer sizes. Received: Architectures='[]'.",
            "Invalid value for BaseOptions.Callbacks: expected an empty list (the search trains many networks at once; one callback object would be shared by all). Received: BaseOptions.Callbacks='1 callback(s)'.") + " (Parameter 'options')", error.Message);
    }

    [TestMethod]
    public void MissingLabelColumn_IsNamedBeforeAnythingTrains()
    {
        var o = new DenseNetworkTuningOptions { LabelColumnName = "Target" };

        var error = Assert.ThrowsExactly<ArgumentException>(() => _ml.BinaryClassification.TuneDenseNetwork(Data(), o));

        StringAssert.Contains(error.Message, "'Target'");
    }

    [TestMethod]
    public void NullArguments_Throw()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => _ml.BinaryClassification.TuneDenseNetwork(null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => ((BinaryClassificationCatalog)null!).TuneDenseNetwork(Data()));
    }

    [TestMethod]
    public void TheCallersOptions_AreNeverWritten()
    {
        var o = new DenseNetworkTuningOptions
        {
            Seed = 1,
            NumberOfFolds = 2,
            NumberOfRepeats = 1,
            MaxTrials = 1,
            BaseOptions = new DenseNetworkOptions { Epochs = 2 },
        };

        var result = _ml.BinaryClassification.TuneDenseNetwork(Data(), o);

        Assert.IsNull(o.BaseOptions.Seed);
        Assert.AreEqual(0, o.BaseOptions.ValidationFraction);
        Assert.AreEqual(1, result.BestOptions.Seed);
        result.BestTrial.Options.Epochs = 99;
        Assert.AreEqual(2, result.BestTrial.Epochs, "Options is a copy");
    }

    private IDataView Data() => TuningData.Load(_ml, TuningData.Binary(60, seed: 1));
}
