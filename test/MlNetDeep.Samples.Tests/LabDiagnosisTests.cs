using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Tests;

/// <summary>Every training run of the lab is diagnosed: the console summary and the report show it under the figures.</summary>
[TestClass]
public sealed class LabDiagnosisTests
{
    [TestMethod]
    public void TextCapacity_EachRunIsDiagnosed_AndTheReportShowsItUnderTheFigures()
    {
        string folder = Path.Combine(Path.GetTempPath(), "lab-diagnosis-" + Environment.ProcessId);
        try
        {
            var result = TinyLabRun.Run("text-capacity", folder);
            CollectionAssert.AreEqual(new[] { "16-16 (reference)", "4-4 (smaller)", "512-512 (larger)" }, result.Diagnoses.Select(d => d.Run).ToArray());
            Assert.IsTrue(result.Diagnoses.All(d => d.Diagnosis.Evidence.Count > 0));

            Assert.IsTrue(LabExperiments.CreateRegistry().TryGet("text-capacity", out var experiment));
            var outcome = new ExperimentOutcome(experiment, ExperimentStatus.Succeeded, result, null, TimeSpan.FromSeconds(1));
            string markdown = LabReport.Render(folder, new[] { outcome }, "tiny");
            int figure = markdown.IndexOf("![", StringComparison.Ordinal), diagnosis = markdown.IndexOf("**Diagnosis**", StringComparison.Ordinal);
            Assert.IsTrue(figure >= 0 && diagnosis > figure, markdown);
            foreach (var d in result.Diagnoses)
                StringAssert.Contains(markdown, $"- `{d.Run}`: **{d.Headline}**.");

            var console = new StringWriter();
            new ConsoleReporter(console, interactive: false).Summary(new[] { outcome });
            StringAssert.Contains(console.ToString(), "diagnosis: 16-16 (reference): ");
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
