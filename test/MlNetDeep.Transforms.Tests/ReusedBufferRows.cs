namespace MlNetDeep.Transforms.Tests;

/// <summary>
/// Texts served the way a source that recycles its buffer serves them: every row's <see cref="ReadOnlyMemory{T}"/>
/// points into the same char array, overwritten by the next row, so a transform that keeps a row's text past the
/// cursor's next move (reading ahead, counting on other threads) must copy it.
/// </summary>
internal static class ReusedBufferRows
{
    public static IEnumerable<MemoryRow> InOneReusedBuffer(string[] texts)
    {
        var buffer = new char[texts.Max(t => t.Length)];
        foreach (var text in texts)
        {
            text.CopyTo(buffer);
            yield return new MemoryRow { Text = buffer.AsMemory(0, text.Length) };
        }
    }

    public sealed class MemoryRow
    {
        public ReadOnlyMemory<char> Text { get; set; }
    }
}
