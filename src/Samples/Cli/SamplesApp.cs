using System.Diagnostics;
using System.Globalization;
using MlNetDeep.Samples.Data;
using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Reporting;
using Spectre.Console;

namespace MlNetDeep.Samples.Cli;

/// <summary>The command-line program: parses arguments, resolves the data, runs experiments, prints the summary.</summary>
public static class SamplesApp
{
    /// <summary>Runs the program in-process (what <c>Main</c> calls; tests call it with captured writers).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Standard output: progress, tables, the report path.</param>
    /// <param name="error">Standard error: every error message.</param>
    /// <param name="interactive">True for coloured terminal output; false for plain lines.</param>
    /// <param name="registry">The experiments; null for <see cref="LabExperiments.CreateRegistry"/>.</param>
    /// <param name="locations">Where the data live; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the running experiment (Ctrl+C).</param>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive = false,
        ExperimentRegistry? registry = null, DataLocations? locations = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count > 0 && args[0] == "predict")
            return Predict(args, output, error);
        registry ??= LabExperiments.CreateRegistry();
        CommandLineOptions options;
        try
        {
            options = CommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            return UsageError(error, e.Message);
        }

        if (options.Help)
        {
            output.Write(Usage.Text(registry));
            return ExitCodes.Success;
        }
        switch (options.Command)
        {
            case null:
                error.Write(Usage.Text(registry));
                return UsageError(error, "No experiment given: name one, or 'all' or 'list'.");
            case "list":
                ListExperiments(registry, new ConsoleReporter(output, interactive));
                return ExitCodes.Success;
            case "make-subset":
                return MakeSubset(options, output, error, locations ?? new DataLocations());
        }

        IReadOnlyList<Experiment> selected;
        if (options.Command == "all")
            selected = registry;
        else if (registry.TryGet(options.Command, out var experiment))
            selected = [experiment];
        else
            return UsageError(error, $"Unknown experiment '{options.Command}'. Valid experiments: {string.Join(", ", registry.Names)}; or 'all' or 'list'.");

        var reporter = new ConsoleReporter(output, interactive);
        DataSource data;
        string outputDirectory;
        try
        {
            data = DataSource.Resolve(options.DataDirectory, options.Full, locations);
            var needed = selected.Aggregate(ExperimentData.None, (all, e) => all | e.Data);
            if (needed.HasFlag(ExperimentData.Images))
                reporter.Info($"Images: {data.Images}");
            if (needed.HasFlag(ExperimentData.Text))
                reporter.Info($"Texts: {data.Text}");
            outputDirectory = Directory.CreateDirectory(options.OutputDirectory ?? CommandLineOptions.DefaultOutputDirectory).FullName;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.DataError;
        }

        var outcomes = selected.Select(e => RunOne(e, data, outputDirectory, options, reporter, error, cancellationToken)).ToList();
        reporter.Summary(outcomes);
        if (options.Command == "all")
        {
            var settings = string.Create(CultureInfo.InvariantCulture,
                $"Data: {data}. Seed {options.Seed}; budget {options.Budget.ToString().ToLowerInvariant()}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
            reporter.Info($"Report: {MarkdownReport.Write(outputDirectory, outcomes, settings)}");
        }

        if (outcomes.Any(o => o.Status == ExperimentStatus.Failed))
            return ExitCodes.Failed;
        if (outcomes.Any(o => o.Status == ExperimentStatus.DataError))
            return ExitCodes.DataError;
        return ExitCodes.Success;
    }

    /// <summary>
    /// <c>predict MODEL.zip TEXT</c>: the consuming side of the Model Builder-style spam script. Loads the saved
    /// model through <see cref="ModelBuilder.SpamModel.Predict"/> and prints the prediction; trains nothing.
    /// </summary>
    private static int Predict(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count < 3)
            return UsageError(error, "Usage: predict MODEL.zip TEXT");
        if (!File.Exists(args[1]))
        {
            error.WriteLine($"error: model file '{args[1]}' not found.");
            return ExitCodes.DataError;
        }
        try
        {
            ModelBuilder.SpamModel.ModelPath = args[1];
            var prediction = ModelBuilder.SpamModel.Predict(new ModelBuilder.SpamModelInput { Text = string.Join(" ", args.Skip(2)) });
            output.WriteLine($"spam {prediction.PredictedLabel}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probability {prediction.Probability:R}"));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FormatException or IOException or ArgumentException)
        {
            error.WriteLine($"error: could not load or run the model '{args[1]}': {e.Message}");
            return ExitCodes.DataError;
        }
    }

    private static ExperimentOutcome RunOne(Experiment experiment, DataSource data, string outputDirectory, CommandLineOptions options,
        ConsoleReporter reporter, TextWriter error, CancellationToken cancellationToken)
    {
        reporter.Heading($"== {experiment.Name}: {experiment.Title}");
        var watch = Stopwatch.StartNew();
        try
        {
            var context = new ExperimentContext(experiment.Name, data, outputDirectory, reporter)
            {
                Seed = options.Seed,
                Full = options.Full,
                Budget = options.Budget,
                CancellationToken = cancellationToken,
            };
            var result = experiment.Run(context);
            reporter.Info($"Verdict: {result.Verdict}");
            return new ExperimentOutcome(experiment, ExperimentStatus.Succeeded, result, null, watch.Elapsed);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            error.WriteLine($"error: {e.Message}");
            return new ExperimentOutcome(experiment, ExperimentStatus.DataError, null, e.Message, watch.Elapsed);
        }
        catch (Exception e)
        {
            error.WriteLine($"error: experiment '{experiment.Name}' failed: {e}");
            return new ExperimentOutcome(experiment, ExperimentStatus.Failed, null, $"{e.GetType().Name}: {e.Message}", watch.Elapsed);
        }
    }

    private static void ListExperiments(ExperimentRegistry registry, ConsoleReporter reporter)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Experiment").AddColumn("Data").AddColumn("Title");
        var plain = new List<string>();
        int width = registry.Names.Select(n => n.Length).DefaultIfEmpty(0).Max();
        foreach (var e in registry)
        {
            var data = e.Data.ToString().ToLowerInvariant().Replace(", ", "+", StringComparison.Ordinal);
            table.AddRow(Esc(e.Name), Esc(data), Esc(e.Title));
            plain.Add($"{e.Name.PadRight(width)}  {data,-6}  {e.Title}: {e.Description}");
        }
        reporter.Write(table, plain);

        static string Esc(string s) => Markup.Escape(s);
    }

    private static int MakeSubset(CommandLineOptions options, TextWriter output, TextWriter error, DataLocations locations)
    {
        try
        {
            var fashion = options.DataDirectory
                ?? locations.FashionMnistDirectories.FirstOrDefault(d => Directory.Exists(d) && MnistLoader.LooksLikeMnistFolder(d))
                ?? throw new DirectoryNotFoundException("The full Fashion-MNIST data set is not installed. Run build/setup.sh first.");
            var spam = locations.SpamAssassinDirectory is { } s && Directory.Exists(s)
                ? s
                : throw new DirectoryNotFoundException("The full SpamAssassin corpus is not installed. Run build/setup.sh first.");
            var target = options.OutputDirectory
                ?? (DataLocations.FindRepositoryRoot() is { } repo ? Path.Combine(repo, "src", "Samples", "data") : null)
                ?? throw new UsageException("make-subset needs --out DIR (no repository folder found above the working folder).");
            foreach (var file in SubsetMaker.Make(fashion, spam, target))
                output.WriteLine($"{new FileInfo(file).Length,10:N0}  {file}");
            return ExitCodes.Success;
        }
        catch (UsageException e)
        {
            return UsageError(error, e.Message);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.DataError;
        }
    }

    private static int UsageError(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        error.WriteLine("Run with --help for usage.");
        return ExitCodes.Usage;
    }
}
