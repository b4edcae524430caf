namespace MlNetDeep.Training;

/// <summary>The prediction task a network is trained for.</summary>
internal enum NetworkTask
{
    Binary,
    Multiclass,
    Regression,
}
