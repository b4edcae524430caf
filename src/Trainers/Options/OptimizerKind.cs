namespace MlNetDeep;

/// <summary>The optimizer that updates the network's weights; hyper-parameters follow Keras' defaults.</summary>
public enum OptimizerKind
{
    /// <summary>RMSprop with Keras' defaults: rho 0.9, epsilon 1e-7 inside the square root, no momentum; the default.</summary>
    RmsProp,

    /// <summary>Adam with Keras' defaults: beta1 0.9, beta2 0.999, epsilon 1e-7.</summary>
    Adam,

    /// <summary>AdamW: Adam with decoupled weight decay (<see cref="DenseNetworkOptions.WeightDecay"/>, Keras default 0.004).</summary>
    AdamW,

    /// <summary>Stochastic gradient descent with optional momentum (<see cref="DenseNetworkOptions.Momentum"/>).</summary>
    Sgd,
}
