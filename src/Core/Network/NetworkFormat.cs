using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetDeep.Training;

namespace MlNetDeep.Network;

/// <summary>
/// The persisted form of a <see cref="NetworkDefinition"/>: base64 text of
/// <c>"MNDN" | version byte | header length (Int32 LE) | header (UTF-8 JSON: task, activation, layer sizes, class
/// names, feature column, history) | each layer's weights then bias (Single LE) | CRC-32 of everything before it</c>.
/// It sits in a saved model as the value of an ML.NET ValueMapping lookup (see MlNetDeep.State.StateLookup).
/// Version 2 adds normalized hidden layers: a layer's header entry names its normalization and epsilon, and its
/// bias is followed by gamma, beta and (batch normalization) the moving mean and variance. A network without
/// normalization is still written as version 1, so MlNetDeep versions that read only version 1 keep loading it;
/// a normalized one is version 2, which they refuse with a message naming the version.
/// Versions 1 and 2 are persisted formats: never change how they read; write a new version next to them.
/// </summary>
internal static class NetworkFormat
{
    /// <summary>The newest version written and read (networks without normalization are written as <see cref="Version1"/>).</summary>
    public const byte Version = 2;

    /// <summary>The first version: dense layers without normalization.</summary>
    public const byte Version1 = 1;
    private static readonly byte[] Magic = "MNDN"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write(NetworkDefinition network)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(Header.From(network), Json);
        long floats = network.Layers.Sum(l => (long)l.WeightsArray.Length + l.BiasArray.Length + NormalizationFloats(l.Normalization));
        long size = Magic.Length + 1 + 4 + header.Length + floats * sizeof(float) + 4;
        if (size > int.MaxValue / 4 * 3)
            throw new InvalidOperationException($"The network has {floats} parameters; at most about {int.MaxValue / 4 * 3 / sizeof(float)} fit in one saved model.");
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        span[4] = network.HasNormalization ? Version : Version1;
        BinaryPrimitives.WriteInt32LittleEndian(span[5..], header.Length);
        header.CopyTo(span[9..]);
        int at = 9 + header.Length;
        foreach (var layer in network.Layers)
        {
            at += WriteFloats(layer.WeightsArray, span[at..]);
            at += WriteFloats(layer.BiasArray, span[at..]);
            if (layer.Normalization is { } n)
            {
                foreach (var values in new[] { n.GammaArray, n.BetaArray, n.MovingMeanArray, n.MovingVarianceArray })
                    at += WriteFloats(values, span[at..]);
            }
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], Crc32.Compute(span[..at]));
        return Convert.ToBase64String(bytes);
    }

    /// <exception cref="InvalidDataException">The text is not a network this version can read, or its checksum does not match.</exception>
    public static NetworkDefinition Read(ReadOnlySpan<char> text)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.ToString());
        }
        catch (FormatException e)
        {
            throw Damaged("it is not base64 text", e);
        }
        var span = bytes.AsSpan();
        if (span.Length < 13 || !span[..4].SequenceEqual(Magic))
            throw Damaged("it does not start with the MlNetDeep network marker");
        byte version = span[4];
        if (version is not (Version1 or Version))
            throw new InvalidDataException($"The model's network is stored in format version {version}; this MlNetDeep reads versions {Version1} to {Version}. Update MlNetDeep.Core.");
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(span[^4..]);
        if (Crc32.Compute(span[..^4]) != stored)
            throw Damaged("its checksum does not match (the file was changed or truncated)");
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(span[5..]);
        if (headerLength <= 0 || 9L + headerLength > span.Length - 4)
            throw Damaged("its header length is wrong");
        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(span.Slice(9, headerLength), Json) ?? throw Damaged("its header is empty");
        }
        catch (JsonException e)
        {
            throw Damaged("its header is not valid JSON", e);
        }
        int at = 9 + headerLength;
        var layers = new List<DenseLayer>();
        foreach (var size in header.Layers ?? throw Damaged("it has no layers"))
        {
            long weights = (long)size.In * size.Out;
            if (size.In <= 0 || size.Out <= 0 || at + (weights + size.Out) * sizeof(float) > span.Length - 4)
                throw Damaged("its layer sizes do not match its length");
            var w = ReadFloats(span.Slice(at, (int)weights * sizeof(float)));
            at += w.Length * sizeof(float);
            var b = ReadFloats(span.Slice(at, size.Out * sizeof(float)));
            at += b.Length * sizeof(float);
            NormalizationWeights? normalization = null;
            if (size.Normalization is { } kind and not NormalizationKind.None)
            {
                if (version == Version1)
                    throw Damaged("a version 1 network has a normalized layer");
                int arrays = kind == NormalizationKind.BatchNormalization ? 4 : 2;
                if (at + (long)arrays * size.Out * sizeof(float) > span.Length - 4)
                    throw Damaged("its layer sizes do not match its length");
                var parts = new float[arrays][];
                for (int k = 0; k < arrays; k++)
                {
                    parts[k] = ReadFloats(span.Slice(at, size.Out * sizeof(float)));
                    at += size.Out * sizeof(float);
                }
                normalization = new NormalizationWeights(kind, size.Epsilon ?? double.NaN, parts[0], parts[1], arrays == 4 ? parts[2] : null, arrays == 4 ? parts[3] : null);
            }
            layers.Add(new DenseLayer(size.In, size.Out, w, b, normalization));
        }
        if (at != span.Length - 4)
            throw Damaged("it has bytes after its last layer");
        try
        {
            return new NetworkDefinition(header.Task, header.Activation, layers, header.ClassNames, header.FeatureColumn ?? "Features", header.History?.ToHistory());
        }
        catch (ArgumentException e)
        {
            throw Damaged(e.Message, e);
        }
    }

    private static long NormalizationFloats(NormalizationWeights? n) =>
        n is null ? 0 : (long)n.GammaArray.Length + n.BetaArray.Length + n.MovingMeanArray.Length + n.MovingVarianceArray.Length;

    private static InvalidDataException Damaged(string why, Exception? inner = null) =>
        new($"The model's MlNetDeep network entry is damaged: {why}. Load the model from an intact copy.", inner);

    private static int WriteFloats(float[] values, Span<byte> destination)
    {
        var source = MemoryMarshal.AsBytes(values.AsSpan());
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("MlNetDeep writes models on little-endian machines only.");
        source.CopyTo(destination);
        return source.Length;
    }

    private static float[] ReadFloats(ReadOnlySpan<byte> source)
    {
        var values = new float[source.Length / sizeof(float)];
        source.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private sealed class Header
    {
        public NetworkTask Task { get; set; }
        public Activation Activation { get; set; }
        public List<LayerSize>? Layers { get; set; }
        public List<string>? ClassNames { get; set; }
        public string? FeatureColumn { get; set; }
        public HistoryRecord? History { get; set; }

        public static Header From(NetworkDefinition n) => new()
        {
            Task = n.Task,
            Activation = n.Activation,
            Layers = n.Layers.Select(l => new LayerSize { In = l.InputSize, Out = l.OutputSize, Normalization = l.Normalization?.Kind, Epsilon = l.Normalization?.Epsilon }).ToList(),
            ClassNames = n.ClassNames?.ToList(),
            FeatureColumn = n.FeatureColumn,
            History = n.History is null ? null : HistoryRecord.From(n.History),
        };
    }

    private sealed class LayerSize
    {
        public int In { get; set; }
        public int Out { get; set; }

        // version 2; null (not written) for a layer without normalization
        public NormalizationKind? Normalization { get; set; }

        public double? Epsilon { get; set; }
    }

    private sealed class HistoryRecord
    {
        public string Monitor { get; set; } = "val_loss";
        public int? BestEpoch { get; set; }
        public StopKind Stop { get; set; }
        public bool RestoredBestWeights { get; set; }
        public string StopReason { get; set; } = "";
        public int? Seed { get; set; } // optional: records written before seeds were kept have none
        public double? BaselineLoss { get; set; } // optional, as Seed
        public List<EpochRecord> Epochs { get; set; } = new();

        public static HistoryRecord From(TrainingHistory h) => new()
        {
            Monitor = h.Monitor,
            BestEpoch = h.BestEpoch,
            Stop = h.Stop,
            RestoredBestWeights = h.RestoredBestWeights,
            StopReason = h.StopReason,
            Seed = h.Seed,
            BaselineLoss = h.BaselineLoss,
            Epochs = h.Select(e => new EpochRecord
            {
                Epoch = e.Epoch,
                Loss = e.Loss,
                ValidationLoss = e.ValidationLoss,
                Accuracy = e.Accuracy,
                ValidationAccuracy = e.ValidationAccuracy,
                LearningRate = e.LearningRate,
                DurationTicks = e.Duration.Ticks,
            }).ToList(),
        };

        public TrainingHistory ToHistory()
        {
            var h = new TrainingHistory
            {
                Monitor = Monitor,
                BestEpoch = BestEpoch,
                Stop = Stop,
                RestoredBestWeights = RestoredBestWeights,
                StopReason = StopReason,
                Seed = Seed,
                BaselineLoss = BaselineLoss,
            };
            foreach (var e in Epochs)
            {
                h.Add(new EpochMetrics
                {
                    Epoch = e.Epoch,
                    Loss = e.Loss,
                    ValidationLoss = e.ValidationLoss,
                    Accuracy = e.Accuracy,
                    ValidationAccuracy = e.ValidationAccuracy,
                    LearningRate = e.LearningRate,
                    Duration = TimeSpan.FromTicks(e.DurationTicks),
                });
            }
            return h;
        }
    }

    private sealed class EpochRecord
    {
        public int Epoch { get; set; }
        public double Loss { get; set; }
        public double? ValidationLoss { get; set; }
        public double? Accuracy { get; set; }
        public double? ValidationAccuracy { get; set; }
        public double? LearningRate { get; set; }
        public long DurationTicks { get; set; } // ticks, not seconds: a Double round trip can move a TimeSpan by a tick
    }
}
