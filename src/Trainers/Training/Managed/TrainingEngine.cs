namespace MlNetDeep.Training.Managed;

/// <summary>Which engine trains a Fit's mini-batches (an internal switch: tests and benchmarks force one; users get <see cref="Auto"/>).</summary>
internal enum TrainingEngine
{
    /// <summary>The managed engine when <see cref="ManagedTraining.Unsupported"/> finds nothing against it and either MKL's sgemm is available or the network is under <see cref="ManagedTraining.MaxWorkPerBatch"/>; libtorch otherwise.</summary>
    Auto,

    /// <summary>Always libtorch.</summary>
    LibTorch,

    /// <summary>Always the managed engine (products as <see cref="ManagedTraining.UsesGemm"/> decides); a Fit it cannot train throws <see cref="InvalidOperationException"/> saying why.</summary>
    Managed,

    /// <summary>Always the managed engine with whole-batch GEMM products; throws where MKL's sgemm is missing.</summary>
    ManagedGemm,

    /// <summary>Always the managed engine with its row-at-a-time kernels (the path where MKL's sgemm is missing).</summary>
    ManagedRows,
}
