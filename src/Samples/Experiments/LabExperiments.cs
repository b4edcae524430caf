namespace MlNetDeep.Samples.Experiments;

/// <summary>
/// The lecture's experiments in lecture order, the ablation run, the Model Builder-style spam script, and issue 9's callbacks and class weights on real data.
/// </summary>
public static class LabExperiments
{
    /// <summary>A registry with every lecture experiment, the ablation run, the spam script and the two issue-9 runs (learning-rate cut and checkpoint, class weights).</summary>
    public static ExperimentRegistry CreateRegistry() => new ExperimentRegistry()
        .Add(new Experiment("noise-vs-zeros", "Noise channels vs zero channels",
            "Dense 512 for 10 epochs on Fashion-MNIST with 784 noise or 784 zero channels appended (validation split 0.2): the noise costs validation accuracy from epoch 1.",
            ExperimentData.Images, Lab.NoiseVsZerosExperiment.Run))
        .Add(new Experiment("shuffled-labels", "Fitting shuffled labels",
            "The same network on randomly shuffled training labels: training accuracy keeps rising, validation accuracy stays at chance.",
            ExperimentData.Images, Lab.ShuffledLabelsExperiment.Run))
        .Add(new Experiment("learning-rate", "Learning rate too high",
            "RMSprop with learning rate 1.0 (stuck near chance) vs 1e-2 (learns).",
            ExperimentData.Images, Lab.LearningRateExperiment.Run))
        .Add(new Experiment("capacity", "Model capacity",
            "Logistic regression (no hidden layer) vs a 96-96 network: validation loss plateaus vs bottoms out and rises (overfits).",
            ExperimentData.Images, Lab.CapacityExperiment.Run))
        .Add(new Experiment("text-capacity", "Text model capacity",
            "Bag-of-words spam classifier 16-16 (reference) vs 4-4 (smaller) vs 512-512 (larger): the larger one overfits soonest.",
            ExperimentData.Text, Lab.TextCapacityExperiment.Run))
        .Add(new Experiment("l2", "L2 weight regularization",
            "The reference text model with L2(0.002) vs without: validation loss with and without the penalty.",
            ExperimentData.Text, Lab.RegularizationExperiment.RunL2))
        .Add(new Experiment("dropout", "Dropout",
            "The reference text model with Dropout(0.5) vs without: validation loss.",
            ExperimentData.Text, Lab.RegularizationExperiment.RunDropout))
        .Add(new Experiment("mi-selection", "Mutual-information feature selection",
            "Keeping the top 784 features by mutual information removes the noise channels of noise-vs-zeros and recovers the accuracy.",
            ExperimentData.Images, Lab.MutualInformationExperiment.Run))
        .Add(new Experiment("validation-schemes", "Hold-out vs K-fold vs iterated K-fold",
            "2,000 rows, Dense 64: the spread of the validation estimate under each scheme, against the test accuracy.",
            ExperimentData.Images, Lab.ValidationSchemesExperiment.Run))
        .Add(new Experiment("early-stopping", "Early stopping",
            "The 512-512 text model with EarlyStopping(val_loss, patience 2, restore best weights) vs a fixed number of epochs.",
            ExperimentData.Text, Lab.EarlyStoppingExperiment.Run))
        .Add(new Experiment("ablation", "Ablation of feature groups",
            "Dropping the noise-channel group vs dropping a group of real pixels: how much each group matters.",
            ExperimentData.Images, Lab.AblationExperiment.Run))
        .Add(new Experiment("spam-model", "Model Builder-style spam classifier",
            "Train and save the bag-of-words spam model (BuildPipeline/Train/Save), then load the zip in a fresh process (predict) and compare its predictions.",
            ExperimentData.Text, Lab.SpamModelExperiment.Run))
        .Add(new Experiment("plateau-checkpoint", "Learning-rate cut on a plateau, best-epoch checkpoint",
            "The 512-512 text model with ReduceLearningRateOnPlateau(val_loss, patience 2, factor 0.1) and a ModelCheckpoint of its best val_loss epoch vs a constant rate: the checkpoint, loaded with Model.Load, scores as the best epoch's weights.",
            ExperimentData.Text, Lab.PlateauCheckpointExperiment.Run))
        .Add(new Experiment("class-weights", "Class weights on an imbalanced task",
            "Fashion-MNIST shirts vs the other nine classes (1:9) with a Dense 128 network, with and without ClassWeights.Balanced: shirt recall and precision, F1, accuracy and AUC on the test set.",
            ExperimentData.Images, Lab.ClassWeightsExperiment.Run))
        .Add(new Experiment("tune", "The lecture's workflow as a search",
            "TuneDenseNetwork on Fashion-MNIST and on the spam mails: baseline, learning rate, scale up until a model overfits, regularize it, choose by repeated K-fold (one-standard-error rule), against the default options on the same folds.",
            ExperimentData.Images | ExperimentData.Text, Lab.TuneExperiment.Run));
}
