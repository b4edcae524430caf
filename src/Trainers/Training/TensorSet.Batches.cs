using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>The in-memory rows as an <see cref="IRowSource"/>: batches are index_select over a permutation, chunks are views.</summary>
internal sealed partial class TensorSet : IRowSource
{
    long IRowSource.Rows => Rows;

    public IBatchReader Batches(int batchSize, bool shuffle, Generator generator) =>
        new Reader(this, TrainingScalars.RowOrder(Rows, shuffle, generator), batchSize);

    public IBatchReader Chunks(int size) => new Reader(this, null, size);

    public double BaselineLoss(NetworkTask task, RegressionLoss regressionLoss, int classes) => Training.BaselineLoss.Of(Set, task, regressionLoss, classes);

    /// <summary>Rows in <c>order</c>'s order (gathered), or in row order as views of the tensors when it is null.</summary>
    private sealed class Reader : IBatchReader
    {
        private readonly TensorSet _set;
        private readonly Tensor? _order;
        private readonly int _size;
        private int _position;

        public Reader(TensorSet set, Tensor? order, int size)
        {
            _set = set;
            _order = order?.DetachFromDisposeScope(); // lives as long as the pass, whatever scope created it
            _size = size;
        }

        public Batch? Next()
        {
            if (_position >= _set.Rows)
                return null;
            int count = Math.Min(_size, _set.Rows - _position);
            Batch batch;
            if (_order is null)
            {
                batch = new Batch(_set.Range(_position, count), _set.Labels.narrow(0, _position, count), _set.Weights?.narrow(0, _position, count), count);
            }
            else
            {
                var index = _order.narrow(0, _position, count);
                batch = new Batch(_set.Gather(index), _set.Labels.index_select(0, index), _set.Weights?.index_select(0, index), count);
            }
            _position += count;
            return batch;
        }

        public void Dispose() => _order?.Dispose();
    }
}
