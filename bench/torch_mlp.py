"""One benchmark workload in PyTorch (Debian's python3-torch), for `npm run bench`.
Fashion-MNIST, a ReLU MLP 784-hidden...-10 (optional dropout after each hidden layer), softmax +
cross-entropy, Adam 1e-3, shuffled batches. Prints one JSON line with the same fields as
bench/run-backprop.ts; the system name carries the thread configuration.
PyTorch's users set its thread count with torch.set_num_threads and keep OpenBLAS to one thread per
PyTorch thread (OPENBLAS_NUM_THREADS=1): bench/train.ts runs it that way.
Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_mlp.py [--threads 2] [--hidden 256,128]
       [--batch 128] [--dropout 0] [--epochs 5] [--train-limit 60000]
       [--alternate-dropout 0.3 --rounds 7]: what dropout costs instead, measured as
       bench/run-backprop.ts measures it (a model with and one without, epoch by epoch in turn).
"""
import argparse, gzip, json, os, resource, statistics, time
import numpy as np
import torch

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--train-limit", type=int, default=60000)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--hidden", default="256,128")
p.add_argument("--batch", type=int, default=128)
p.add_argument("--dropout", type=float, default=0.0)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
p.add_argument("--quiet", action="store_true", help="accepted for symmetry with the JS runners")
p.add_argument("--alternate-dropout", type=float, default=0.0)
p.add_argument("--rounds", type=int, default=7)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)

def idx(name, offset):
    with gzip.open(f"{a.dir}/{name}", "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)

xtr = torch.from_numpy(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784)[: a.train_limit].astype(np.float32) / 255)
ytr = torch.from_numpy(idx("train-labels-idx1-ubyte.gz", 8)[: a.train_limit].astype(np.int64))
xte = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
yte = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))


def build(dropout):
    layers, width = [], 784
    for units in [int(h) for h in a.hidden.split(",")]:
        layers += [torch.nn.Linear(width, units), torch.nn.ReLU()]
        if dropout > 0:
            layers.append(torch.nn.Dropout(dropout))
        width = units
    model = torch.nn.Sequential(*layers, torch.nn.Linear(width, 10))
    return model, torch.optim.Adam(model.parameters(), lr=1e-3)

loss_fn = torch.nn.CrossEntropyLoss()
n = xtr.shape[0]


def epoch(model, opt):
    """One shuffled epoch; returns its seconds."""
    model.train()
    t0 = time.perf_counter()
    perm = torch.randperm(n)
    for s in range(0, n, a.batch):
        i = perm[s : s + a.batch]
        opt.zero_grad()
        loss = loss_fn(model(xtr[i]), ytr[i])
        loss.backward()
        opt.step()
    return time.perf_counter() - t0


blas = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
threads = torch.get_num_threads()
system = f"PyTorch {torch.__version__.split('+')[0]} ({threads} thread{'s' if threads > 1 else ''}, OPENBLAS_NUM_THREADS={blas})"

if a.alternate_dropout > 0:
    pair = [build(0.0), build(a.alternate_dropout)]
    seconds = [[], []]
    for r in range(a.rounds):
        for which in ((0, 1) if r % 2 == 0 else (1, 0)):
            seconds[which].append(epoch(*pair[which]))
    print(json.dumps({"system": system, "plainEpochSeconds": seconds[0], "dropoutEpochSeconds": seconds[1]}))
    raise SystemExit(0)

model, opt = build(a.dropout)
times = [epoch(model, opt) for _ in range(a.epochs)]
model.eval()
with torch.no_grad():
    acc = float((torch.cat([model(xte[s : s + 1000]) for s in range(0, 10000, 1000)]).argmax(1) == yte).float().mean())
    for s in range(0, 10000, 1000): model(xte[s : s + 1000])
    # The median of five passes after a warm-up pass, as bench/run-backprop.ts times its own.
    passes = []
    for _ in range(5):
        t0 = time.perf_counter()
        for s in range(0, 10000, 1000): model(xte[s : s + 1000])
        passes.append(time.perf_counter() - t0)
    inf = statistics.median(passes)
med = statistics.median(times[1:] if len(times) > 1 else times)
print(json.dumps({"system": system,
                  "epochSeconds": times, "medianEpochSeconds": med,
                  "trainSamplesPerSecond": n / med, "testAccuracy": acc, "inferenceSamplesPerSecond": 10000 / inf,
                  "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
