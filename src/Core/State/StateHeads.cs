using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlNetDeep.State;

/// <summary>
/// The stateless mapping behind <see cref="StateLookup"/>. ML.NET saves a CustomMapping as its contract name plus
/// this assembly's name: the contract name and row classes are a persisted format; never change them, add a "v2".
/// </summary>
internal static class StateHeads
{
    public const string KeyContract = "MlNetDeep.StateKey.v1";

    public static void Key(StateKeyInput input, StateKeyOutput output) => output.Key = StateLookup.KeyValue;
}

/// <summary>No input: the state key is a constant.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StateKeyInput
{
}

/// <summary>The constant key every state lookup reads.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StateKeyOutput
{
    /// <summary>Always "state".</summary>
    [ColumnName(StateLookup.KeyColumn)]
    public string Key { get; set; } = StateLookup.KeyValue;
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved state key.</summary>
[CustomMappingFactoryAttribute(StateHeads.KeyContract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StateKeyFactory : CustomMappingFactory<StateKeyInput, StateKeyOutput>
{
    /// <inheritdoc />
    public override Action<StateKeyInput, StateKeyOutput> GetMapping() => StateHeads.Key;
}
