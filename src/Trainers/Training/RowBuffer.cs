using System.Runtime.InteropServices;

namespace MlNetDeep.Training;

/// <summary>
/// Fixed-width rows of floats appended one by one and returned as one array, holding the data once at any moment.
/// When the row count is known up front the rows are written straight into an array of exactly that size. When it is
/// not (a text loader, <c>LoadFromEnumerable</c> over a lazy sequence) they go into native chunks: each chunk is one
/// mapping of its own (32 MB plus its header: above the C allocator's largest mmap threshold, 32 MB), resident only where written and returned
/// to the operating system the moment it is freed. <see cref="ToArray"/> then copies them into an exact-size array,
/// freeing each chunk as soon as it is copied, so the peak is the rows' size plus one chunk — not the 2–3× of a
/// doubling array (the old array, the doubled one, the final exact copy) whose large garbage the .NET GC keeps
/// resident until a full collection.
/// </summary>
internal sealed unsafe class RowBuffer : IDisposable
{
    /// <summary>Floats per native chunk (32 MB), rounded up to whole rows (a row never straddles two chunks).</summary>
    internal const int ChunkFloats = 1 << 23;

    private static long s_nativeBytes;

    private readonly int _width;
    private readonly long _chunkFloats;
    private float[]? _exact;
    private readonly List<IntPtr> _chunks = new();
    private long _count;

    /// <param name="width">Floats per row.</param>
    /// <param name="knownRows">The row count when the source knows it (the array is allocated at once); null otherwise.</param>
    /// <param name="chunkFloats">Floats per native chunk, rounded up to whole rows; tests make it small.</param>
    public RowBuffer(int width, long? knownRows, int chunkFloats = ChunkFloats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkFloats);
        _width = width;
        _chunkFloats = ((chunkFloats + (long)width - 1) / width) * width;
        if (knownRows is long n && n > 0 && n * width <= Array.MaxLength)
            _exact = GC.AllocateUninitializedArray<float>((int)(n * width));
    }

    /// <summary>The bytes held in native chunks by every live buffer of the process (what a test checks is released).</summary>
    internal static long NativeBytes => Interlocked.Read(ref s_nativeBytes);

    /// <summary>Floats appended so far.</summary>
    public long Count => _count;

    /// <summary>Room for the next row, to be filled by the caller.</summary>
    /// <exception cref="ArgumentException">The rows would hold more than <see cref="Array.MaxLength"/> values.</exception>
    public Span<float> AppendRow()
    {
        if (_count + _width > Array.MaxLength)
            throw new ArgumentException($"The data holds more than {Array.MaxLength} values; it does not fit in one training array.");
        Span<float> row;
        if (_exact is not null && _count + _width <= _exact.Length)
        {
            row = _exact.AsSpan((int)_count, _width);
        }
        else
        {
            long inChunks = _count - (_exact?.Length ?? 0);
            int chunk = (int)(inChunks / _chunkFloats);
            long offset = inChunks % _chunkFloats;
            if (chunk == _chunks.Count)
            {
                _chunks.Add((IntPtr)NativeMemory.Alloc((nuint)(_chunkFloats * sizeof(float))));
                Interlocked.Add(ref s_nativeBytes, _chunkFloats * sizeof(float));
            }
            row = new Span<float>((float*)_chunks[chunk] + offset, _width);
        }
        _count += _width;
        return row;
    }

    /// <summary>
    /// The rows as one array of exactly <see cref="Count"/> floats (the array they were written into when the count was
    /// known and right). The buffer is empty afterwards.
    /// </summary>
    public float[] ToArray()
    {
        var exact = _exact;
        _exact = null;
        if (_chunks.Count == 0 && exact is not null && exact.Length == _count)
            return exact;
        var result = GC.AllocateUninitializedArray<float>((int)_count);
        long done = Math.Min(_count, exact?.Length ?? 0);
        exact.AsSpan(0, (int)done).CopyTo(result);
        exact = null;
        for (int c = 0; c < _chunks.Count; c++)
        {
            int n = (int)Math.Min(_chunkFloats, _count - done);
            new ReadOnlySpan<float>((float*)_chunks[c], n).CopyTo(result.AsSpan((int)done, n));
            done += n;
            Free(c);
        }
        _chunks.Clear();
        _count = 0;
        return result;
    }

    /// <summary>Frees the native chunks (reading failed or was cancelled).</summary>
    public void Dispose()
    {
        for (int c = 0; c < _chunks.Count; c++)
            Free(c);
        _chunks.Clear();
        _exact = null;
        _count = 0;
    }

    private void Free(int chunk)
    {
        if (_chunks[chunk] == IntPtr.Zero)
            return;
        NativeMemory.Free((void*)_chunks[chunk]);
        _chunks[chunk] = IntPtr.Zero;
        Interlocked.Add(ref s_nativeBytes, -_chunkFloats * sizeof(float));
    }
}
