using System.Buffers.Binary;
using System.Text;

namespace MlNetDeep.Onnx;

/// <summary>
/// A minimal protocol-buffers encoder: enough of the wire format (varints, length-delimited fields, fixed32)
/// to write the handful of ONNX messages MlNetDeep emits.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    public ProtoWriter Int64(int field, long value)
    {
        WriteTag(field, 0);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        WriteTag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        WriteTag(field, 2);
        WriteVarint((ulong)bytes.Length);
        _buffer.Write(bytes);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message._buffer.GetBuffer().AsSpan(0, (int)message._buffer.Length));

    /// <summary>Writes a packed repeated int64 field.</summary>
    public ProtoWriter PackedInt64(int field, IEnumerable<long> values)
    {
        var packed = new ProtoWriter();
        foreach (var v in values)
            packed.WriteVarint(unchecked((ulong)v));
        return Message(field, packed);
    }

    private void WriteTag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
