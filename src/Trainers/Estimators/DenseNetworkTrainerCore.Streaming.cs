using Microsoft.ML;
using MlNetDeep.Common;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>The streamed side of <see cref="DenseNetworkTrainerCore"/>: deciding to stream, and the streamed rows' split and class weights.</summary>
internal sealed partial class DenseNetworkTrainerCore
{
    /// <summary>
    /// The training rows read into memory, or null to stream them, by <see cref="StreamingRule"/>: with Auto and an
    /// unknown row count the read stops at the memory budget and Fit streams instead.
    /// </summary>
    private TrainingSet? ReadOrStream(IDataView input, int dimension)
    {
        var o = _options;
        bool? decided = StreamingRule.Decide(o, input.GetRowCount(), dimension);
        if (decided == true)
            return null;
        // within the budget, and within one array (Read checks that against the rows' layout: dense values or non-zeros)
        long maxBytes = decided == false ? long.MaxValue : StreamingRule.Budget(o);
        try
        {
            return TrainingSet.Read(input, _task, o.FeatureColumnName, o.LabelColumnName, o.ExampleWeightColumnName, null, o.CancellationToken, o.FeatureLayout, maxBytes);
        }
        catch (DataTooLargeException)
        {
            return null;
        }
    }

    /// <summary>
    /// The streamed rows: a first pass checks and counts them (the validation data's too), the validation split takes
    /// the same last rows as in memory, and Balanced class weights count the training rows' classes in a label pass.
    /// </summary>
    private (IRowSource Train, IRowSource? Validation, ClassLabels? Labels, int Outputs) PrepareStreamed(IDataView input, int dimension, ClassLabels? labels, int outputs)
    {
        var o = _options;
        var errors = new OptionErrors();
        errors.Check((long)o.BatchSize * dimension <= Array.MaxLength, nameof(DenseNetworkOptions.BatchSize),
            $"at most {Array.MaxLength / dimension} rows of {dimension} features when streaming (one batch is one array)", o.BatchSize);
        errors.Check(!o.Shuffle || (long)o.ShuffleBufferSize * dimension <= Array.MaxLength, nameof(DenseNetworkOptions.ShuffleBufferSize),
            $"at most {Array.MaxLength / dimension} rows of {dimension} features (the buffer is one array)", o.ShuffleBufferSize);
        errors.ThrowIfAny(nameof(DenseNetworkOptions), "options");

        var all = StreamedRows.Scan(new StreamedColumns(input, _task, o.FeatureColumnName, o.LabelColumnName, o.ExampleWeightColumnName, dimension, null),
            o.ShuffleBufferSize, o.CancellationToken);
        var train = all;
        StreamedRows? validation = null;
        if (o.ValidationData is not null)
        {
            int validationDimension = ((Microsoft.ML.Data.VectorDataViewType)o.ValidationData.Schema[o.FeatureColumnName].Type).Size;
            CheckValidationColumns(validationDimension, dimension, outputs);
            validation = StreamedRows.Scan(new StreamedColumns(o.ValidationData, _task, o.FeatureColumnName, o.LabelColumnName, o.ExampleWeightColumnName, dimension, ValidationSource),
                o.ShuffleBufferSize, o.CancellationToken);
        }
        else if (o.ValidationFraction > 0)
        {
            long trainRows = TrainingRowsBeforeValidation(all.Rows); // the same last rows as in memory
            train = all.Slice(0, trainRows);
            validation = all.Slice(trainRows, all.Rows - trainRows);
        }

        if (o.ClassWeights is not null)
        {
            int classes = ClassCount(outputs);
            var counts = o.ClassWeights.IsBalanced ? train.CountClasses(classes) : new long[classes];
            train = train.WithClassWeights(o.ClassWeights.Resolve(classes, ClassValues(labels, classes), counts, train.Rows));
        }
        Native.LibTorchRuntime.EnsureLoaded();
        return (train, validation, labels, outputs);
    }
}
