#!/usr/bin/python3
"""The PyTorch peer of the trainer benchmark: the lecture's model on the same rows, written as a PyTorch user would.

Fashion-MNIST (first N training rows, pixels/255), Dense 512 relu + softmax 10, RMSprop with Keras' settings
(lr 1e-3, rho 0.9, epsilon 1e-7), batch 128, a fresh permutation each epoch. Prints one line per epoch:
"pytorch threads=T epoch=E seconds=S loss=L peak_mb=M cpu_seconds=C" (C: the process's CPU time, all threads), so compare.sh can interleave it with the .NET peers.

Usage: pytorch_peer.py --threads T --epochs E [--rows N] [--seed S] [--data DIR]
"""
import argparse
import gzip
import os
import resource
import struct
import sys
import time

# OpenBLAS (numpy's and Debian torch's) sizes its thread pool when it is first loaded, from OPENBLAS_NUM_THREADS, and
# ignores torch.set_num_threads: the count must be in the environment before numpy is imported, not only before torch
# (set after numpy's import, as it was, the "one thread" peer multiplied on two pthreads: CPU time twice the wall time)
os.environ["OPENBLAS_NUM_THREADS"] = next(
    (sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"),
    next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--threads=")), "1"))

import numpy as np  # noqa: E402  (after the thread setting)


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(directory, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{stem}(.gz) not found in {directory}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=48000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(args.seed)
    images = read_idx(find(args.data, "train-images-idx3-ubyte"))[: args.rows]
    labels = read_idx(find(args.data, "train-labels-idx1-ubyte"))[: args.rows]
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255.0)
    y = torch.from_numpy(labels.astype(np.int64))

    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10))
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    rows = len(x)
    for epoch in range(1, args.epochs + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        order = torch.randperm(rows)
        total = 0.0
        for b in range(0, rows, 128):
            index = order[b:b + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"pytorch threads={args.threads} epoch={epoch} seconds={seconds:.4f} loss={total / rows:.4f} peak_mb={peak_mb:.0f} cpu_seconds={cpu_seconds:.4f}", flush=True)


if __name__ == "__main__":
    main()
