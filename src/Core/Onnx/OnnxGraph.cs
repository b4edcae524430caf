using System.Runtime.InteropServices;

namespace MlNetDeep.Onnx;

/// <summary>ONNX tensor element types used by MlNetDeep (values from onnx.proto).</summary>
internal enum OnnxType
{
    Float = 1,
    Int64 = 7,
    String = 8,
}

/// <summary>
/// Builds a single-graph ONNX model (ModelProto) from nodes, initializers and typed inputs/outputs.
/// Field numbers follow onnx.proto; only the messages MlNetDeep needs are written.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>The ONNX IR version written (IR 8 goes with opset 17).</summary>
    public const long IrVersion = 8;

    /// <summary>The default-domain opset the graphs are written against.</summary>
    public const long Opset = 17;

    private readonly string _name;
    private readonly List<ProtoWriter> _nodes = new();
    private readonly List<ProtoWriter> _initializers = new();
    private readonly List<ProtoWriter> _inputs = new();
    private readonly List<ProtoWriter> _outputs = new();
    private readonly List<(string Key, string Value)> _metadata = new();
    private bool _usesMlDomain;
    private int _nodeCount;

    public OnnxGraph(string name) => _name = name;

    /// <summary>Declares a graph input; a negative dimension is symbolic (a batch dimension named "N").</summary>
    public OnnxGraph Input(string name, OnnxType type, params long[] dims)
    {
        _inputs.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>Declares a graph output; a negative dimension is symbolic.</summary>
    public OnnxGraph Output(string name, OnnxType type, params long[] dims)
    {
        _outputs.Add(ValueInfo(name, type, dims));
        return this;
    }

    public OnnxGraph Initializer(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        CheckCount(name, data.Length, dims);
        var tensor = new ProtoWriter().PackedInt64(1, dims).Int64(2, (long)OnnxType.Float).String(8, name);
        // raw_data is little-endian; every platform .NET runs ONNX Runtime on is little-endian
        tensor.Bytes(9, MemoryMarshal.AsBytes(data));
        _initializers.Add(tensor);
        return this;
    }

    public OnnxGraph Initializer(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        CheckCount(name, data.Length, dims);
        var tensor = new ProtoWriter().PackedInt64(1, dims).Int64(2, (long)OnnxType.Int64).String(8, name);
        tensor.Bytes(9, MemoryMarshal.AsBytes(data));
        _initializers.Add(tensor);
        return this;
    }

    public OnnxGraph Initializer(string name, IReadOnlyList<string> data, params long[] dims)
    {
        CheckCount(name, data.Count, dims);
        var tensor = new ProtoWriter().PackedInt64(1, dims).Int64(2, (long)OnnxType.String);
        foreach (var s in data)
            tensor.String(6, s);
        tensor.String(8, name);
        _initializers.Add(tensor);
        return this;
    }

    /// <summary>Adds a node; <paramref name="domain"/> "ai.onnx.ml" pulls in the ML opset.</summary>
    public OnnxGraph Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string? name = null, string? domain = null, params OnnxAttribute[] attributes)
    {
        var node = new ProtoWriter();
        foreach (var i in inputs)
            node.String(1, i);
        foreach (var o in outputs)
            node.String(2, o);
        node.String(3, name ?? $"{opType}_{_nodeCount}");
        node.String(4, opType);
        foreach (var a in attributes)
            node.Message(5, a.Proto);
        if (domain is not null)
        {
            node.String(7, domain);
            _usesMlDomain |= domain == "ai.onnx.ml";
        }
        _nodes.Add(node);
        _nodeCount++;
        return this;
    }

    /// <summary>Adds a ModelProto metadata_props entry (readable with onnx.load(...).metadata_props or ONNX Runtime's ModelMetadata).</summary>
    public OnnxGraph Metadata(string key, string value)
    {
        _metadata.Add((key, value));
        return this;
    }

    /// <summary>Serializes the model.</summary>
    public byte[] ToBytes()
    {
        var graph = new ProtoWriter();
        foreach (var n in _nodes)
            graph.Message(1, n);
        graph.String(2, _name);
        foreach (var t in _initializers)
            graph.Message(5, t);
        foreach (var i in _inputs)
            graph.Message(11, i);
        foreach (var o in _outputs)
            graph.Message(12, o);

        var model = new ProtoWriter()
            .Int64(1, IrVersion)
            .String(2, "MlNetDeep")
            .String(3, typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0")
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, "").Int64(2, Opset));
        if (_usesMlDomain)
            model.Message(8, new ProtoWriter().String(1, "ai.onnx.ml").Int64(2, 3));
        foreach (var (key, value) in _metadata)
            model.Message(14, new ProtoWriter().String(1, key).String(2, value));
        return model.ToArray();
    }

    private static ProtoWriter ValueInfo(string name, OnnxType type, long[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var d in dims)
            shape.Message(1, d < 0 ? new ProtoWriter().String(2, "N") : new ProtoWriter().Int64(1, d));
        var tensorType = new ProtoWriter().Int64(1, (long)type).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }

    private static void CheckCount(string name, int count, long[] dims)
    {
        long expected = 1;
        foreach (var d in dims)
            expected *= d;
        if (expected != count)
            throw new ArgumentException($"Initializer '{name}' has {count} values; its shape [{string.Join(",", dims)}] holds {expected}.");
    }
}

/// <summary>An ONNX node attribute (AttributeProto).</summary>
internal readonly struct OnnxAttribute
{
    private OnnxAttribute(ProtoWriter proto) => Proto = proto;

    public ProtoWriter Proto { get; }

    public static OnnxAttribute Int(string name, long value) => new(new ProtoWriter().String(1, name).Int64(3, value).Int64(20, 2));

    public static OnnxAttribute Float(string name, float value) => new(new ProtoWriter().String(1, name).Float(2, value).Int64(20, 1));

    public static OnnxAttribute Ints(string name, IEnumerable<long> values)
    {
        var a = new ProtoWriter().String(1, name);
        foreach (var v in values)
            a.Int64(8, v);
        return new(a.Int64(20, 7));
    }

    public static OnnxAttribute Strings(string name, IEnumerable<string> values)
    {
        var a = new ProtoWriter().String(1, name);
        foreach (var v in values)
            a.String(9, v);
        return new(a.Int64(20, 8));
    }
}
