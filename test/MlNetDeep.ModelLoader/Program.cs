// Usage: MlNetDeep.ModelLoader <model.zip> <input.idv> <output.idv>
// Loads the model with a fresh MLContext (no RegisterAssembly, no MlNetDeep type touched first), transforms the
// input and saves every column of the result. Exit code 0 on success; 2 with the exception on stderr otherwise.
using Microsoft.ML;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: MlNetDeep.ModelLoader <model.zip> <input.idv> <output.idv>");
    return 1;
}
try
{
    var ml = new MLContext();
    var model = ml.Model.Load(args[0], out _);
    var input = ml.Data.LoadFromBinary(args[1]);
    var output = model.Transform(input);
    using var stream = File.Create(args[2]);
    ml.Data.SaveAsBinary(output, stream, keepHidden: false);
    // a deployed model must need neither libtorch (TorchSharp) nor a native ONNX Runtime session
    var loaded = string.Join(",", AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name)
        .Where(n => n!.StartsWith("TorchSharp", StringComparison.Ordinal) || n.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal) || n.StartsWith("Microsoft.ML.OnnxTransformer", StringComparison.Ordinal)));
    Console.WriteLine(loaded.Length == 0 ? "no-torchsharp-no-onnxruntime" : "loaded:" + loaded);
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine(e.ToString());
    return 2;
}
