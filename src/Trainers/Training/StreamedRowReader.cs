using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Training;

/// <summary>The columns a streamed pass reads, and how its errors name the data ("ValidationData: " prefix, "training" or "validation").</summary>
internal sealed record StreamedColumns(IDataView View, NetworkTask Task, string FeatureColumn, string LabelColumn, string? WeightColumn, int Dimension, string? Source)
{
    public string What => Source is null ? "training" : "validation";

    public string Prefix => Source is null ? "" : Source + ": ";
}

/// <summary>
/// One forward pass of a data view's cursor over rows [start, end): each row's features (when asked for), label and
/// weight. A failure of the view's own cursor becomes an <see cref="InvalidOperationException"/> naming the row and
/// keeping the view's exception as the inner one; a pass that ends before <c>end</c> (or, for a pass to the end,
/// finds more rows) says the view changed since the first pass.
/// </summary>
internal sealed class StreamedRowReader : IDisposable
{
    private readonly StreamedColumns _columns;
    private readonly long _end;
    private readonly bool _endKnown;
    private readonly bool _checkNoMore;
    private readonly DataViewRowCursor _cursor;
    private readonly ValueGetter<VBuffer<float>>? _featureGetter;
    private readonly Func<float> _labelGetter;
    private readonly ValueGetter<float>? _weightGetter;
    private VBuffer<float> _vector;

    /// <param name="columns">The view and its columns.</param>
    /// <param name="start">The first row to give (the rows before it are skipped without reading their values).</param>
    /// <param name="end">One past the last row to give; null reads to the cursor's end (the first pass, which counts them).</param>
    /// <param name="rowsInView">The view's row count found by the first pass: a pass ending at it checks that no row follows.</param>
    /// <param name="features">False reads only labels and weights.</param>
    public StreamedRowReader(StreamedColumns columns, long start, long? end, long? rowsInView, bool features)
    {
        _columns = columns;
        _endKnown = end is not null;
        _end = end ?? long.MaxValue;
        var schema = columns.View.Schema;
        var fcol = schema[columns.FeatureColumn];
        var lcol = schema[columns.LabelColumn];
        var wcol = columns.WeightColumn is null ? (DataViewSchema.Column?)null : schema[columns.WeightColumn];
        var wanted = new List<DataViewSchema.Column> { lcol };
        if (features)
            wanted.Add(fcol);
        if (wcol is not null)
            wanted.Add(wcol.Value);
        try
        {
            _cursor = columns.View.GetRowCursor(wanted);
            _featureGetter = features ? _cursor.GetGetter<VBuffer<float>>(fcol) : null;
            _labelGetter = TrainingSet.LabelGetter(_cursor, lcol, columns.Task);
            _weightGetter = wcol is null ? null : _cursor.GetGetter<float>(wcol.Value);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _cursor?.Dispose();
            throw Failed(e);
        }
        _checkNoMore = rowsInView is long n && n == end;
        try
        {
            while (Row < start)
            {
                if (!Move())
                    throw Changed($"ended after {Row} rows");
                Row++;
            }
        }
        catch
        {
            _cursor.Dispose();
            throw;
        }
    }

    /// <summary>The number of the next row in the view (0-based, as error messages count).</summary>
    public long Row { get; private set; }

    /// <summary>Reads the next row of the range (its features into <paramref name="features"/> when the pass reads them); false at the range's end.</summary>
    public bool Next(Span<float> features, out float label, out float weight)
    {
        label = 0;
        weight = 1;
        if (Row >= _end)
            return false;
        bool moved;
        try
        {
            moved = _cursor.MoveNext();
            if (moved)
            {
                _featureGetter?.Invoke(ref _vector);
                label = _labelGetter();
                _weightGetter?.Invoke(ref weight);
            }
            else if (!_endKnown)
            {
                return false;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Failed(e);
        }
        if (!moved)
            throw Changed($"ended after {Row} rows instead of {_end}");
        if (_featureGetter is not null)
        {
            if (_vector.Length != _columns.Dimension)
                throw new ArgumentException($"{_columns.Prefix}Column '{_columns.FeatureColumn}' row {Row} has {_vector.Length} values; the schema says {_columns.Dimension}.");
            _vector.CopyTo(features);
        }
        Row++;
        if (Row == _end && _checkNoMore)
        {
            if (Move())
                throw Changed($"has more than the {_end} rows it had");
        }
        return true;
    }

    /// <summary>The cursor's MoveNext, its failure wrapped.</summary>
    private bool Move()
    {
        try
        {
            return _cursor.MoveNext();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Failed(e);
        }
    }

    /// <summary>An error for a row whose values differ from the first pass's checked ones.</summary>
    public InvalidOperationException ChangedRow(long row, string what) => Changed($"gave row {row} with {what}, which the first pass did not find");

    private InvalidOperationException Changed(string what) => new(
        $"{_columns.Prefix}The {_columns.What} data view {what}: streamed training reads the view again on every epoch and needs the same rows every time (cache it with mlContext.Data.Cache if it fits in memory, or fix the view's source).");

    private InvalidOperationException Failed(Exception inner) => new(
        $"{_columns.Prefix}Reading the {_columns.What} data failed at row {Row}: {inner.GetType().Name}: {inner.Message} (streamed training reads the data view again on every epoch; the inner exception is the view's).", inner);

    public void Dispose() => _cursor.Dispose();
}
