using System.Text;

namespace MlNetDeep.Samples.Cli;

/// <summary>
/// Drops the spaces before each line break: Spectre pads table and help cells to the console width, which in a
/// redirected log (CI) only adds invisible trailing blanks. Spaces inside a line are written when text follows them.
/// </summary>
internal sealed class TrailingSpaceTrimmingWriter(TextWriter inner) : TextWriter
{
    private int _pendingSpaces;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == ' ')
        {
            _pendingSpaces++;
            return;
        }
        if (value is not ('\n' or '\r'))
            inner.Write(new string(' ', _pendingSpaces));
        _pendingSpaces = 0;
        inner.Write(value);
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
            Write(c);
    }

    public override void Flush() => inner.Flush();
}
