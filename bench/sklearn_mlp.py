"""One benchmark workload in scikit-learn's MLPClassifier (Debian's python3-sklearn), for `npm run bench`.
Fashion-MNIST, a ReLU MLP 784-hidden...-10, softmax + cross-entropy, Adam 1e-3, shuffled batches, no
L2 penalty (alpha=0). One partial_fit call is one epoch. NumPy's BLAS (OpenBLAS) uses its default
threads: bench/train.ts sets OPENBLAS_NUM_THREADS to the core count. Prints one JSON line with the
same fields as bench/run-backprop.ts.
Usage: /usr/bin/python3 bench/sklearn_mlp.py [--hidden 256,128] [--batch 128] [--epochs 5] [--train-limit 60000]
"""
import argparse, gzip, json, os, resource, statistics, time
import numpy as np
import sklearn
from sklearn.neural_network import MLPClassifier

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--train-limit", type=int, default=60000)
p.add_argument("--hidden", default="256,128")
p.add_argument("--batch", type=int, default=128)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
p.add_argument("--quiet", action="store_true", help="accepted for symmetry with the JS runners")
a = p.parse_args()

def idx(name, offset):
    with gzip.open(f"{a.dir}/{name}", "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)

xtr = idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784)[: a.train_limit].astype(np.float32) / 255
ytr = idx("train-labels-idx1-ubyte.gz", 8)[: a.train_limit].astype(np.int64)
xte = idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255
yte = idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
model = MLPClassifier(hidden_layer_sizes=tuple(int(h) for h in a.hidden.split(",")), activation="relu", solver="adam",
                      alpha=0.0, batch_size=a.batch, learning_rate_init=1e-3, shuffle=True, random_state=a.seed)
classes = np.arange(10)
times = []
for epoch in range(a.epochs):
    t0 = time.perf_counter()
    model.partial_fit(xtr, ytr, classes=classes)
    times.append(time.perf_counter() - t0)
acc = float((model.predict(xte) == yte).mean())
for s in range(0, 10000, 1000): model.predict_proba(xte[s : s + 1000])
# The median of five passes after a warm-up pass, as bench/run-backprop.ts times its own.
passes = []
for _ in range(5):
    t0 = time.perf_counter()
    for s in range(0, 10000, 1000): model.predict_proba(xte[s : s + 1000])
    passes.append(time.perf_counter() - t0)
inf = statistics.median(passes)
med = statistics.median(times[1:] if len(times) > 1 else times)
blas = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
print(json.dumps({"system": f"scikit-learn {sklearn.__version__} MLPClassifier (OPENBLAS_NUM_THREADS={blas})",
                  "epochSeconds": times, "medianEpochSeconds": med,
                  "trainSamplesPerSecond": xtr.shape[0] / med, "testAccuracy": acc, "inferenceSamplesPerSecond": 10000 / inf,
                  "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
