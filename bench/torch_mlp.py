"""The benchmark task in PyTorch (Debian's python3-torch), for the ratio column of `npm run bench`.
Fashion-MNIST 784-256-128-10 ReLU, softmax + cross-entropy, Adam 1e-3, batch 128, shuffled.
Prints one JSON line with the same fields as bench/run-backprop.ts.
Usage: /usr/bin/python3 bench/torch_mlp.py [--epochs 5] [--train-limit 60000] [--threads 2]
"""
import argparse, gzip, json, resource, statistics, time
import numpy as np
import torch

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--train-limit", type=int, default=60000)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
p.add_argument("--quiet", action="store_true", help="accepted for symmetry with the JS runners")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

def idx(name, offset):
    with gzip.open(f"{a.dir}/{name}", "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)

xtr = torch.from_numpy(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784)[: a.train_limit].astype(np.float32) / 255)
ytr = torch.from_numpy(idx("train-labels-idx1-ubyte.gz", 8)[: a.train_limit].astype(np.int64))
xte = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
yte = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
n = xtr.shape[0]
times = []
for epoch in range(a.epochs):
    t0 = time.perf_counter()
    perm = torch.randperm(n)
    for s in range(0, n, 128):
        i = perm[s : s + 128]
        opt.zero_grad()
        loss = loss_fn(model(xtr[i]), ytr[i])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
with torch.no_grad():
    acc = float((torch.cat([model(xte[s : s + 1000]) for s in range(0, 10000, 1000)]).argmax(1) == yte).float().mean())
    for s in range(0, 10000, 1000): model(xte[s : s + 1000])
    t0 = time.perf_counter()
    for s in range(0, 10000, 1000): model(xte[s : s + 1000])
    inf = time.perf_counter() - t0
med = statistics.median(times[1:] if len(times) > 1 else times)
print(json.dumps({"system": f"PyTorch {torch.__version__} ({a.threads} threads)", "epochSeconds": times, "medianEpochSeconds": med,
                  "trainSamplesPerSecond": n / med, "testAccuracy": acc, "inferenceSamplesPerSecond": 10000 / inf,
                  "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
