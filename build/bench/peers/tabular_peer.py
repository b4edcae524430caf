#!/usr/bin/python3
"""The small tabular network of issue 13 in PyTorch and in scikit-learn, and the data every peer trains on.

30 -> 16 -> 16 -> 1, ReLU, sigmoid output with binary cross-entropy, Adam lr 1e-3 (PyTorch: betas 0.9/0.999,
eps 1e-7 as Keras and MlNetDeep; scikit-learn's MLPClassifier: its fixed eps 1e-8, alpha 0 so no L2), batch 32, one
thread, a fresh shuffle each epoch. Prints one line per epoch: "tabular PEER epoch=E seconds=S loss=L".

Usage: tabular_peer.py --write-csv FILE [--rows N (20000)]     writes the rows (30 features, then the 0/1 label)
       tabular_peer.py --peer pytorch|sklearn --csv FILE [--epochs E (5)]
"""
import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402  (after the thread settings)


def write_csv(path, rows):
    # the breast-cancer shape: 30 standardized features, a label from a noisy linear rule (seeded, so reruns agree)
    rng = np.random.RandomState(13)
    x = rng.normal(size=(rows, 30)).astype(np.float32)
    w = rng.normal(size=30)
    y = (x @ w / np.sqrt(30) + 0.5 * rng.normal(size=rows) > 0).astype(np.int64)
    np.savetxt(path, np.column_stack([x, y]), delimiter=",", fmt=["%.6f"] * 30 + ["%d"])


def pytorch(x, y, epochs):
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(1)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.float32)).reshape(-1, 1)
    model = torch.nn.Sequential(torch.nn.Linear(30, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    rows = len(xt)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(rows)
        total = 0.0
        for b in range(0, rows, 32):
            index = order[b:b + 32]
            optimizer.zero_grad()
            loss = loss_fn(model(xt[index]), yt[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        print(f"tabular pytorch epoch={epoch} seconds={time.perf_counter() - start:.4f} loss={total / rows:.4f}", flush=True)


def sklearn(x, y, epochs):
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(hidden_layer_sizes=(16, 16), activation="relu", solver="adam", alpha=0.0, batch_size=32,
                          learning_rate_init=1e-3, shuffle=True, random_state=1)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.partial_fit(x, y, classes=[0, 1])  # one pass over the rows in shuffled batches of 32
        print(f"tabular sklearn epoch={epoch} seconds={time.perf_counter() - start:.4f} loss={model.loss_:.4f}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--write-csv")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--peer", choices=["pytorch", "sklearn"])
    parser.add_argument("--csv")
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    if args.write_csv:
        write_csv(args.write_csv, args.rows)
        return
    data = np.loadtxt(args.csv, delimiter=",", dtype=np.float32)
    x, y = np.ascontiguousarray(data[:, :30]), data[:, 30].astype(np.int64)
    (pytorch if args.peer == "pytorch" else sklearn)(x, y, args.epochs)


if __name__ == "__main__":
    main()
