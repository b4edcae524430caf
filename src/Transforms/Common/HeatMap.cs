namespace MlNetDeep.Common;

/// <summary>Draws one value per cell on a grid with a black → purple → orange → yellow scale and writes it as a PNG.</summary>
internal static class HeatMap
{
    private static readonly (double At, byte R, byte G, byte B)[] Stops =
    {
        (0.00, 0, 0, 4), (0.25, 87, 16, 110), (0.50, 188, 55, 84), (0.75, 249, 142, 9), (1.00, 252, 255, 164),
    };

    public static void Write(Stream stream, IReadOnlyList<double> values, int columns, int cellSize, IReadOnlyCollection<int> marked)
    {
        int rows = Math.Max(1, (values.Count + columns - 1) / columns);
        int width = columns * cellSize, height = rows * cellSize;
        double max = values.Count == 0 ? 0 : values.Max();
        var rgb = new byte[width * height * 3];
        var isMarked = new HashSet<int>(marked);
        for (int j = 0; j < values.Count; j++)
        {
            var (r, g, b) = Color(max > 0 ? values[j] / max : 0);
            int x0 = (j % columns) * cellSize, y0 = (j / columns) * cellSize;
            for (int y = y0; y < y0 + cellSize; y++)
                for (int x = x0; x < x0 + cellSize; x++)
                {
                    bool dot = isMarked.Contains(j) && Math.Abs((2 * (x - x0)) - cellSize + 1) <= cellSize / 4 && Math.Abs((2 * (y - y0)) - cellSize + 1) <= cellSize / 4;
                    int at = ((y * width) + x) * 3;
                    rgb[at] = dot ? (byte)255 : r;
                    rgb[at + 1] = dot ? (byte)255 : g;
                    rgb[at + 2] = dot ? (byte)255 : b;
                }
        }
        Png.WriteRgb(stream, width, height, rgb);
    }

    private static (byte, byte, byte) Color(double t)
    {
        t = double.IsFinite(t) ? Math.Clamp(t, 0, 1) : 0;
        for (int i = 1; i < Stops.Length; i++)
        {
            if (t <= Stops[i].At)
            {
                var (a, b) = (Stops[i - 1], Stops[i]);
                double f = (t - a.At) / (b.At - a.At);
                return (Lerp(a.R, b.R, f), Lerp(a.G, b.G, f), Lerp(a.B, b.B, f));
            }
        }
        return (Stops[^1].R, Stops[^1].G, Stops[^1].B);
    }

    private static byte Lerp(byte a, byte b, double f) => (byte)Math.Round(a + ((b - a) * f));
}
