namespace MlNetDeep;

/// <summary>Marker for the MlNetDeep.Transforms assembly (lets tools and tests name it without using a transform).</summary>
public static class TransformsAssembly
{
    /// <summary>The assembly's name as ML.NET records it for CustomMapping contracts.</summary>
    public static string Name => typeof(TransformsAssembly).Assembly.GetName().Name!;
}
