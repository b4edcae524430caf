using System.Diagnostics;
using System.Globalization;
using MlNetDeep.Samples.Data;
using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetDeep.Samples.Cli;

/// <summary>The command-line program: parses arguments, resolves the data, runs experiments, prints the summary.</summary>
public static class SamplesApp
{
    /// <summary>Runs the program in-process (what <c>Main</c> calls; tests call it with captured writers).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Standard output: progress, tables, the report path.</param>
    /// <param name="error">Standard error: every error message.</param>
    /// <param name="interactive">True for coloured terminal output and progress bars; false for plain lines.</param>
    /// <param name="registry">The experiments; null for <see cref="LabExperiments.CreateRegistry"/>.</param>
    /// <param name="locations">Where the data live; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the running experiment (Ctrl+C).</param>
    /// <param name="applicationName">How the help's usage line names the program (<c>mlnetdeep lab</c> from the tool).</param>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive = false,
        ExperimentRegistry? registry = null, DataLocations? locations = null, CancellationToken cancellationToken = default,
        string applicationName = "dotnet run --project src/Samples --")
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        registry ??= LabExperiments.CreateRegistry();
        if (args.Count == 0)
        {
            CreateApp(LabConsole.Create(error, interactive: false), output, error, interactive, registry, locations, applicationName).Run(["--help"], cancellationToken);
            return UsageError(error, "No experiment given: name one, or 'all' or 'list'.");
        }
        // Spectre would say "Unknown command"; the lab names the experiments a user can run
        if (!args[0].StartsWith('-') && !ExperimentRegistry.ReservedNames.Contains(args[0]) && !registry.TryGet(args[0], out _))
            return UsageError(error, $"Unknown experiment '{args[0]}'. Valid experiments: {string.Join(", ", registry.Names)}; or 'all' or 'list'.");
        try
        {
            return CreateApp(LabConsole.Create(output, interactive), output, error, interactive, registry, locations, applicationName).Run(args, cancellationToken);
        }
        catch (Exception e) when (e is CommandAppException or LabUsageException)
        {
            return UsageError(error, e.Message);
        }
    }

    /// <summary>The lab's commands: one per experiment (its title is the description), all, list, make-subset, predict.</summary>
    private static CommandApp CreateApp(IAnsiConsole console, TextWriter output, TextWriter error, bool interactive,
        ExperimentRegistry registry, DataLocations? locations, string applicationName)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName(applicationName);
            config.ConfigureConsole(console);
            config.SetHelpProvider(new LabHelpProvider(config.Settings));
            config.CaseSensitivity(CaseSensitivity.None);
            config.PropagateExceptions();
            config.SetInterceptor(new LabArgumentsCheck());
            foreach (var experiment in registry)
                config.AddDelegate<LabSettings>(experiment.Name, (context, settings, ct) =>
                        RunExperiments([experiment], all: false, settings, output, error, interactive, locations, ct))
                    .WithDescription(experiment.Title);
            config.AddDelegate<LabSettings>("all", (_, settings, ct) =>
                    RunExperiments(registry, all: true, settings, output, error, interactive, locations, ct))
                .WithDescription("Run every experiment and write report.md into the output folder.");
            config.AddDelegate("list", (_, _) =>
                {
                    ListExperiments(registry, new ConsoleReporter(output, interactive));
                    return ExitCodes.Success;
                })
                .WithDescription("List the experiments with their data and what each shows.");
            config.AddDelegate<LabSettings>("make-subset", (_, settings, _) => MakeSubset(settings, output, error, locations ?? new DataLocations()))
                .WithDescription("Write the embedded subset (src/Samples/data) from the full data sets build/setup.sh installs.");
            config.AddDelegate<PredictSettings>("predict", (_, settings, _) => Predict(settings, output, error))
                .WithDescription("Classify a text with the model the spam-model experiment saved; trains nothing.");
        });
        return app;
    }

    private static int RunExperiments(IReadOnlyList<Experiment> selected, bool all, LabSettings options, TextWriter output, TextWriter error,
        bool interactive, DataLocations? locations, CancellationToken cancellationToken)
    {
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
            outputDirectory = Directory.CreateDirectory(options.OutputDirectory ?? LabSettings.DefaultOutputDirectory).FullName;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.DataError;
        }

        var outcomes = selected.Select(e => RunOne(e, data, outputDirectory, options, reporter, error, cancellationToken)).ToList();
        reporter.Summary(outcomes);
        if (all)
        {
            var settings = string.Create(CultureInfo.InvariantCulture,
                $"Data: {data}. Seed {options.Seed}; budget {options.Budget.ToString().ToLowerInvariant()}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
            reporter.Info($"Report: {LabReport.Write(outputDirectory, outcomes, settings)}");
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
    private static int Predict(PredictSettings args, TextWriter output, TextWriter error)
    {
        if (!File.Exists(args.Model))
        {
            error.WriteLine($"error: model file '{args.Model}' not found.");
            return ExitCodes.DataError;
        }
        try
        {
            ModelBuilder.SpamModel.ModelPath = args.Model;
            var prediction = ModelBuilder.SpamModel.Predict(new ModelBuilder.SpamModelInput { Text = string.Join(" ", args.Text) });
            output.WriteLine($"spam {prediction.PredictedLabel}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probability {prediction.Probability:R}"));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FormatException or IOException or ArgumentException)
        {
            error.WriteLine($"error: could not load or run the model '{args.Model}': {e.Message}");
            return ExitCodes.DataError;
        }
    }

    private static ExperimentOutcome RunOne(Experiment experiment, DataSource data, string outputDirectory, LabSettings options,
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
            var result = reporter.WithProgressBars(() => experiment.Run(context));
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

    private static int MakeSubset(LabSettings options, TextWriter output, TextWriter error, DataLocations locations)
    {
        var target = options.OutputDirectory
            ?? (DataLocations.FindRepositoryRoot() is { } repo ? Path.Combine(repo, "src", "Samples", "data") : null);
        if (target is null)
            return UsageError(error, "make-subset needs --out DIR (no repository folder found above the working folder).");
        try
        {
            var fashion = options.DataDirectory
                ?? locations.FashionMnistDirectories.FirstOrDefault(d => Directory.Exists(d) && MnistLoader.LooksLikeMnistFolder(d))
                ?? throw new DirectoryNotFoundException("The full Fashion-MNIST data set is not installed. Run build/setup.sh first.");
            var spam = locations.SpamAssassinDirectory is { } s && Directory.Exists(s)
                ? s
                : throw new DirectoryNotFoundException("The full SpamAssassin corpus is not installed. Run build/setup.sh first.");
            foreach (var file in SubsetMaker.Make(fashion, spam, target))
                output.WriteLine($"{new FileInfo(file).Length,10:N0}  {file}");
            return ExitCodes.Success;
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
