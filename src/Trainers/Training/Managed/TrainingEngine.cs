namespace MlNetDeep.Training.Managed;

/// <summary>Which engine trains a Fit's mini-batches (an internal switch: tests and benchmarks force one; users get <see cref="Auto"/>).</summary>
internal enum TrainingEngine
{
    /// <summary>The managed engine when <see cref="ManagedTraining.Unsupported"/> finds nothing against it and the network is under <see cref="ManagedTraining.MaxWorkPerBatch"/>; libtorch otherwise.</summary>
    Auto,

    /// <summary>Always libtorch.</summary>
    LibTorch,

    /// <summary>Always the managed engine (products as <see cref="ManagedTraining.UsesGemm"/> decides); a Fit it cannot train throws <see cref="InvalidOperationException"/> saying why.</summary>
    Managed,

    /// <summary>Always the managed engine with whole-batch GEMM products, whatever the size; throws where MKL's sgemm is missing.</summary>
    ManagedGemm,
}
