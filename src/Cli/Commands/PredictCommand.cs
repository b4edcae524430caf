using System.ComponentModel;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Cli.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// <c>mlnetdeep predict</c>: loads a model zip, reads a CSV/TSV file by the model's own input columns (columns the
/// file lacks, such as the label, read as missing) and writes one row of predictions per input row.
/// </summary>
internal sealed class PredictCommand(IAnsiConsole console) : Command<PredictCommand.Settings>
{
    private static readonly string[] PredictionColumns = { "PredictedClass", "PredictedLabel", "Probability", "Score" };

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <ZIP>")]
        [Description("A model saved by mlnetdeep train or by mlContext.Model.Save.")]
        public string Model { get; init; } = "";

        [CommandOption("--data <FILE>")]
        [Description("A CSV or TSV file with a header row naming the model's input columns.")]
        public string Data { get; init; } = "";

        [CommandOption("--out <FILE>")]
        [Description("Where to write the predictions as CSV (default: standard output).")]
        public string? Out { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Model) ? ValidationResult.Error("--model ZIP is required.")
            : string.IsNullOrWhiteSpace(Data) ? ValidationResult.Error("--data FILE is required.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Model))
            throw new FileNotFoundException($"The model file '{settings.Model}' does not exist.", settings.Model);
        ModelFile.VerifyIntegrity(settings.Model);
        var ml = new MLContext(1);
        var model = ml.Model.Load(settings.Model, out var inputSchema);
        var file = TabularFile.Inspect(settings.Data);
        int absent = file.Columns.Count; // a field index no row has: the loader reads such a column as missing
        var missing = new List<string>();
        var columns = inputSchema.Select(column =>
        {
            var found = file.Columns.FirstOrDefault(c => c.Name == column.Name);
            if (found is null)
                missing.Add(column.Name);
            var kind = column.Type.RawType == typeof(float) ? DataKind.Single : column.Type.RawType == typeof(bool) ? DataKind.Boolean : DataKind.String;
            return new TextLoader.Column(column.Name, kind, found?.Index ?? absent);
        }).ToArray();
        if (missing.Count > 0)
            console.MarkupLineInterpolated($"[grey]read as missing (not in the file): {string.Join(", ", missing)}[/]");
        var loader = file.CreateLoader(ml, columns);
        var scored = model.Transform(loader.Load(file.Path));

        var outputs = PredictionColumns.Where(n => scored.Schema.GetColumnOrNull(n) is not null).Select(n => scored.Schema[n]).ToArray();
        using var writer = settings.Out is null ? Console.Out : new StreamWriter(settings.Out);
        writer.WriteLine(string.Join(",", outputs.Select(c => c.Type is VectorDataViewType ? "TopScore" : c.Name)));
        using var cursor = scored.GetRowCursor(outputs);
        var getters = outputs.Select(c => Getter(cursor, c)).ToArray();
        long rows = 0;
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            writer.WriteLine(string.Join(",", getters.Select(g => g())));
            rows++;
        }
        if (settings.Out is not null)
            console.MarkupLineInterpolated($"wrote {rows} prediction(s) to {settings.Out}");
        return 0;
    }

    private static Func<string> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        static string Quote(string s) => s.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        var type = column.Type;
        if (type is VectorDataViewType)
        {
            var g = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> v = default;
            return () => { g(ref v); return v.DenseValues().Max().ToString("R", CultureInfo.InvariantCulture); };
        }
        if (type.RawType == typeof(float))
        {
            var g = cursor.GetGetter<float>(column);
            float v = 0;
            return () => { g(ref v); return v.ToString("R", CultureInfo.InvariantCulture); };
        }
        if (type.RawType == typeof(bool))
        {
            var g = cursor.GetGetter<bool>(column);
            bool v = false;
            return () => { g(ref v); return v ? "true" : "false"; };
        }
        if (type.RawType == typeof(ReadOnlyMemory<char>))
        {
            var g = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> v = default;
            return () => { g(ref v); return Quote(v.ToString()); };
        }
        if (type.RawType == typeof(uint))
        {
            var g = cursor.GetGetter<uint>(column);
            uint v = 0;
            return () => { g(ref v); return v.ToString(CultureInfo.InvariantCulture); };
        }
        return () => "";
    }
}
