using System.Diagnostics;
using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>Times Fit's fixed costs (everything but the epochs) one by one.</summary>
internal static class Phases
{
    public static void Run(MLContext ml, IDataView view)
    {
        var clock = Stopwatch.StartNew();
        var set = TrainingSet.Read(view, NetworkTask.Multiclass, "Features", "Label", null, null, CancellationToken.None);
        Console.WriteLine($"  read IDataView into arrays   {clock.Elapsed.TotalSeconds:F3} s");
        clock.Restart();
        using (var tensors = new TensorSet(set, NetworkTask.Multiclass))
            Console.WriteLine($"  copy into tensors             {clock.Elapsed.TotalSeconds:F3} s");
        var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = 1, Seed = 1 };
        clock.Restart();
        var model = ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(view);
        double fit = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  Fit with 1 epoch              {fit:F3} s (epoch {model.History[0].Duration.TotalSeconds:F3} s, rest {fit - model.History[0].Duration.TotalSeconds:F3} s)");
        clock.Restart();
        var text = MlNetDeep.Network.NetworkFormat.Write(model.Model.ToDefinition("Features"));
        Console.WriteLine($"  write the stored network      {clock.Elapsed.TotalSeconds:F3} s ({text.Length / 1e6:F1} M characters)");
        clock.Restart();
        MlNetDeep.State.StateLookup.Key(ml).Append(MlNetDeep.State.StateLookup.Text(ml, "__n", text)).Fit(view);
        Console.WriteLine($"  ValueMapping lookup of it     {clock.Elapsed.TotalSeconds:F3} s");
        clock.Restart();
        using (var tensors = new TensorSet(set, NetworkTask.Multiclass))
        using (var generator = new TorchSharp.torch.Generator(1, TorchSharp.torch.CPU))
        using (var module = DenseNetworkModule.FromModel(model.Model, 0, generator))
            WeightSnapshot.ScoresFinite(module, tensors);
        Console.WriteLine($"  finiteness pass over the rows {clock.Elapsed.TotalSeconds:F3} s");
    }
}
