using System.Globalization;
using Spectre.Console;

namespace MlNetDeep.Samples.Reporting;

/// <summary>
/// Writes progress: per-epoch lines for named training runs, messages, and the closing summary table. Coloured through
/// Spectre.Console on a terminal; plain lines (no escape codes, no wrapping) when output is redirected, e.g. in CI.
/// On a terminal, work run through <see cref="WithProgressBars{T}"/> also shows a Spectre progress bar with an ETA for
/// each training run (per epoch) and each long operation (per fold, ablation run, trial).
/// </summary>
public sealed partial class ConsoleReporter
{
    private readonly TextWriter _output;
    private readonly IAnsiConsole? _console;
    private readonly object _gate = new();

    /// <summary>Creates a reporter writing to <paramref name="output"/>.</summary>
    /// <param name="output">Where the lines go.</param>
    /// <param name="interactive">True for a terminal (colours, table borders); false for plain lines.</param>
    public ConsoleReporter(TextWriter output, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Interactive = interactive;
        if (interactive)
            _console = Cli.LabConsole.Create(output, interactive: true);
    }

    /// <summary>A reporter on the process's standard output, interactive unless the output is redirected.</summary>
    public static ConsoleReporter ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    /// <summary>True when writing coloured output to a terminal.</summary>
    public bool Interactive { get; }

    /// <summary>
    /// A progress sink for one training run: each reported epoch becomes a line such as
    /// "[noise] epoch 3/10  loss 0.4123  val_loss 0.3921  acc 0.8512  val_acc 0.8610  1.2s". Pass it as a trainer's <c>Progress</c>.
    /// </summary>
    /// <param name="runName">A short name for the run, e.g. "noise" or "512-512".</param>
    /// <param name="totalEpochs">The planned number of epochs, shown as "3/10"; null to show the epoch alone.</param>
    /// <remarks>Lines are written synchronously on the reporting thread (unlike <see cref="Progress{T}"/>, which posts to the thread pool and may reorder them).</remarks>
    public IProgress<EpochMetrics> ForRun(string runName, int? totalEpochs = null) => new EpochProgress(this, runName, totalEpochs);

    /// <summary>Writes a message line.</summary>
    /// <param name="message">The message (plain text; no markup).</param>
    public void Info(string message) => Write(message, "grey");

    /// <summary>Writes a heading line, e.g. when an experiment starts.</summary>
    /// <param name="message">The heading (plain text; no markup).</param>
    public void Heading(string message) => Write(message, "bold blue");

    /// <summary>Writes a warning line.</summary>
    /// <param name="message">The warning (plain text; no markup).</param>
    public void Warning(string message) => Write(message, "yellow");

    /// <summary>Writes the closing table: experiment, verdict, seconds.</summary>
    /// <param name="outcomes">The runs, in order.</param>
    public void Summary(IReadOnlyList<ExperimentOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var c = CultureInfo.InvariantCulture;
        lock (_gate)
        {
            if (_console is not null)
            {
                var table = new Table().Border(TableBorder.Rounded).Title("Summary");
                table.AddColumn("Experiment").AddColumn("Verdict").AddColumn("Diagnosis").AddColumn(new TableColumn("Seconds").RightAligned());
                foreach (var o in outcomes)
                {
                    var colour = o.Status switch
                    {
                        ExperimentStatus.Succeeded => "green",
                        _ => "red",
                    };
                    table.AddRow(Markup.Escape(o.Experiment.Name), $"[{colour}]{Markup.Escape(o.Verdict)}[/]", Markup.Escape(Diagnoses(o, "\n")), o.Elapsed.TotalSeconds.ToString("F1", c));
                }
                _console.Write(table);
                return;
            }

            int nameWidth = Math.Max("experiment".Length, outcomes.Select(o => o.Experiment.Name.Length).DefaultIfEmpty(0).Max());
            _output.WriteLine($"{"experiment".PadRight(nameWidth)}  {"seconds",7}  verdict");
            foreach (var o in outcomes)
            {
                _output.WriteLine($"{o.Experiment.Name.PadRight(nameWidth)}  {o.Elapsed.TotalSeconds.ToString("F1", c),7}  {o.Verdict}");
                if (o.Result is { Diagnoses.Count: > 0 })
                    _output.WriteLine($"{"".PadRight(nameWidth)}  {"",7}  diagnosis: {Diagnoses(o, "; ")}");
            }
            _output.Flush();
        }
    }

    /// <summary>"run: Verdict (from epoch k)" for each run of an outcome.</summary>
    private static string Diagnoses(ExperimentOutcome outcome, string separator) =>
        outcome.Result is null ? "" : string.Join(separator, outcome.Result.Diagnoses.Select(d => $"{d.Run}: {d.Headline}"));

    /// <summary>Writes a prepared Spectre renderable when interactive, otherwise the plain lines.</summary>
    internal void Write(Spectre.Console.Rendering.IRenderable rich, IEnumerable<string> plain)
    {
        lock (_gate)
        {
            if (_console is not null)
            {
                _console.Write(rich);
                return;
            }
            foreach (var line in plain)
                _output.WriteLine(line);
            _output.Flush();
        }
    }

    internal void WriteEpoch(string runName, EpochMetrics metrics, int? totalEpochs)
    {
        UpdateEpochBar(runName, metrics.Epoch, totalEpochs);
        var line = EpochLine.Format(runName, metrics, totalEpochs);
        lock (_gate)
        {
            if (_console is not null)
            {
                int close = line.IndexOf(']');
                _console.MarkupLine($"[blue]{Markup.Escape(line[..(close + 1)])}[/]{Markup.Escape(line[(close + 1)..])}");
                return;
            }
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    private void Write(string message, string style)
    {
        lock (_gate)
        {
            if (_console is not null)
            {
                _console.MarkupLine($"[{style}]{Markup.Escape(message)}[/]");
                return;
            }
            _output.WriteLine(message);
            _output.Flush();
        }
    }

    private sealed class EpochProgress(ConsoleReporter reporter, string runName, int? totalEpochs) : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value)
        {
            ArgumentNullException.ThrowIfNull(value);
            reporter.WriteEpoch(runName, value, totalEpochs);
        }
    }
}
