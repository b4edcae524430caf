using SkiaSharp;

namespace MlNetDeep.Samples.Reporting;

/// <summary>
/// Several charts in one PNG, one panel above the other (matplotlib's <c>subplots(n, 1)</c>): e.g. a learning curve
/// above the learning rate of the same epochs. Each panel keeps its own title, axes and legend.
/// </summary>
internal static class FigurePanels
{
    /// <summary>Draws each chart at its own size and writes them stacked top to bottom as one PNG.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="panels">The charts, top first.</param>
    /// <exception cref="ArgumentException">No chart was given.</exception>
    public static void SavePng(string path, params LearningCurvePlot[] panels)
    {
        if (panels.Length == 0)
            throw new ArgumentException("Invalid value for panels: expected at least one chart. Received: none.", nameof(panels));
        var images = panels.Select(p => SKBitmap.Decode(p.ToPng())).ToArray();
        try
        {
            using var figure = new SKBitmap(images.Max(i => i.Width), images.Sum(i => i.Height));
            using (var canvas = new SKCanvas(figure))
            {
                canvas.Clear(SKColors.White);
                int top = 0;
                foreach (var image in images)
                {
                    canvas.DrawBitmap(image, 0, top);
                    top += image.Height;
                }
            }
            using var png = figure.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path, png.ToArray());
        }
        finally
        {
            foreach (var image in images)
                image.Dispose();
        }
    }
}
