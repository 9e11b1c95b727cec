#!/usr/bin/env python3
# written by backprop
"""A backprop model as a PyTorch nn.Sequential.

This folder was written by `backprop export --format pytorch` (or the library's writePytorchExport).
It holds

    model.json           the backprop model: architecture, task, loss, class labels, scaler, training record
    weights.safetensors  float32 tensors layers.{i}.weight [out, in] and layers.{i}.bias [out],
                         i counting the dense layers from 0
    model.py             this file: builds the network and loads the weights
    train.py             continues training under torchrun with DistributedDataParallel

The folder is itself a backprop model directory, so `backprop eval/predict --model FOLDER` read it.

From Python (with this folder on sys.path):

    import model
    net, config = model.load()                      # or model.load("path/to/folder")
    outputs = net(torch.tensor([[5.1, 3.5, 1.4, 0.2]]))

`net` is in evaluation mode and takes raw feature rows: when the model was trained with
standardisation, the scaler is its first module. Outputs are class probabilities (classification),
label probabilities (multilabel) or values (regression); output unit k is config["labels"][k].

From the shell, writing the same CSV as `backprop predict`:

    python3 model.py --data FILE.csv [--out predictions.csv]

Needs PyTorch 1.13 or later. Reads and writes safetensors with the `safetensors` package when it is
installed, and with a few lines of the standard library otherwise.
"""

import argparse
import csv
import json
import math
import os
import struct
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_FILE = "model.json"
WEIGHTS_FILE = "weights.safetensors"
MODEL_FORMAT = "backprop-model"
MODEL_FORMAT_VERSION = 1
# backprop's default negative slope of leaky_relu (PyTorch's too).
DEFAULT_LEAKY_SLOPE = 0.01


class ModelError(Exception):
    """A model folder, a weights file or a data file that cannot be used (the message says why)."""


# --- The network ---------------------------------------------------------------------------------


class Standardize(nn.Module):
    """x_j <- (x_j - mean_j) / scale_j, with the training data's mean and standard deviation."""

    def __init__(self, mean, scale):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("scale", torch.tensor(scale, dtype=torch.float32))

    def forward(self, x):
        return (x - self.mean) / self.scale


class MinMaxScale(nn.Module):
    """x_j <- (x_j - min_j) / (max_j - min_j); a feature that was constant in training maps to 0."""

    def __init__(self, minimum, maximum):
        super().__init__()
        spread = [hi - lo for lo, hi in zip(minimum, maximum)]
        self.register_buffer("minimum", torch.tensor(minimum, dtype=torch.float32))
        self.register_buffer("inv_range", torch.tensor([1 / s if s > 0 else 0.0 for s in spread], dtype=torch.float32))

    def forward(self, x):
        return (x - self.minimum) * self.inv_range


def scaler_module(scaler):
    """The model.json scaler as a module, or None."""
    if scaler is None:
        return None
    kind = scaler.get("type")
    if kind == "standard":
        return Standardize(scaler["mean"], scaler["scale"])
    if kind == "minmax":
        return MinMaxScale(scaler["min"], scaler["max"])
    raise ModelError(f"unknown scaler type {kind!r} (expected standard or minmax)")


def activation_module(name, slope=None):
    """The module of a backprop activation; None for linear (the identity)."""
    if name in ("linear", "identity"):
        return None
    if name == "relu":
        return nn.ReLU()
    if name == "leaky_relu":
        return nn.LeakyReLU(DEFAULT_LEAKY_SLOPE if slope is None else slope)
    if name == "sigmoid":
        return nn.Sigmoid()
    if name == "tanh":
        return nn.Tanh()
    if name == "softmax":
        return nn.Softmax(dim=1)
    raise ModelError(f"unknown activation {name!r}; expected one of linear, sigmoid, relu, leaky_relu, tanh, softmax")


def build(config):
    """An nn.Sequential for model.json's architecture: [scaler,] Linear, activation, ... (weights uninitialised)."""
    modules = []
    scaler = scaler_module(config.get("scaler"))
    if scaler is not None:
        modules.append(scaler)
    for i, layer in enumerate(config["architecture"]["layers"]):
        kind = layer.get("type")
        if kind == "dense":
            modules.append(nn.Linear(layer["inFeatures"], layer["outFeatures"]))
            act = activation_module(layer["activation"], layer.get("slope"))
        elif kind == "activation":
            act = activation_module(layer["activation"], layer.get("slope"))
        elif kind == "dropout":
            act = nn.Dropout(layer["rate"])
        else:
            raise ModelError(f"layer {i} has an unknown type {kind!r} (expected dense, activation or dropout)")
        if act is not None:
            modules.append(act)
    return nn.Sequential(*modules)


def dense_layers(net):
    """The nn.Linear modules in order: dense layer i holds layers.{i}.weight and layers.{i}.bias."""
    return [m for m in net if isinstance(m, nn.Linear)]


def final_activation(config):
    """The activation the output layer applies last (softmax, sigmoid, ...), as model.json names it."""
    return config["architecture"]["layers"][-1].get("activation", "linear")


# --- safetensors ---------------------------------------------------------------------------------

_DTYPES = {"F32": ("f", 4), "F64": ("d", 8)}


def read_safetensors(path):
    """Named tensors of a safetensors file (float32)."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        load_file = None
    if load_file is not None:
        return {name: t.to(torch.float32) for name, t in load_file(path).items()}
    # The format: an 8-byte little-endian header length, a JSON header, then the raw tensor bytes.
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ModelError(f"{path}: {len(data)} bytes is too short for a safetensors file")
    (n,) = struct.unpack_from("<Q", data, 0)
    if 8 + n > len(data):
        raise ModelError(f"{path}: header length {n} exceeds the file ({len(data)} bytes)")
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype, shape, (begin, end) = entry["dtype"], entry["shape"], entry["data_offsets"]
        if dtype not in _DTYPES:
            raise ModelError(f"{path}: tensor {name!r} has dtype {dtype}; without the safetensors package only F32 and F64 are read")
        code, width = _DTYPES[dtype]
        count = math.prod(shape)
        if end - begin != count * width or 8 + n + end > len(data):
            raise ModelError(f"{path}: tensor {name!r} ({dtype}, shape {shape}) does not match its offsets [{begin}, {end}]")
        values = struct.unpack_from(f"<{count}{code}", data, 8 + n + begin)
        tensors[name] = torch.tensor(values, dtype=torch.float32).reshape(shape)
    return tensors


def write_safetensors(tensors, path):
    """Writes named float32 tensors as safetensors (names sorted, header padded to 8 bytes, as backprop does)."""
    tensors = {name: t.detach().to("cpu", torch.float32).contiguous() for name, t in tensors.items()}
    try:
        from safetensors.torch import save_file
    except ImportError:
        save_file = None
    if save_file is not None:
        save_file(tensors, path, metadata={"format": "pt"})
        return
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name in sorted(tensors):
        size = tensors[name].numel() * 4
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in sorted(tensors):
            values = tensors[name].flatten().tolist()
            f.write(struct.pack(f"<{len(values)}f", *values))


def state_tensors(net):
    """The network's weights under backprop's names."""
    out = {}
    for i, linear in enumerate(dense_layers(net)):
        out[f"layers.{i}.weight"] = linear.weight
        out[f"layers.{i}.bias"] = linear.bias
    return out


def load_weights(net, path):
    """Copies layers.{i}.weight / layers.{i}.bias from a safetensors file into the network, checking names and shapes."""
    tensors = read_safetensors(path)
    expected = state_tensors(net)
    unexpected = sorted(set(tensors) - set(expected))
    if unexpected:
        raise ModelError(f"{path}: unexpected tensor {unexpected[0]!r} (expected {', '.join(expected)})")
    with torch.no_grad():
        for name, param in expected.items():
            if name not in tensors:
                raise ModelError(f"{path}: lacks tensor {name!r}")
            if tuple(tensors[name].shape) != tuple(param.shape):
                raise ModelError(f"{path}: tensor {name!r} has shape {list(tensors[name].shape)}, the architecture needs {list(param.shape)}")
            param.copy_(tensors[name])


# --- Loading -------------------------------------------------------------------------------------


def read_config(directory=HERE):
    """model.json of a backprop model folder, checked for its format."""
    path = os.path.join(directory, MODEL_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except FileNotFoundError:
        raise ModelError(f"model folder {directory!r} has no {MODEL_FILE}") from None
    except json.JSONDecodeError as e:
        raise ModelError(f"{path}: not valid JSON ({e})") from None
    if not isinstance(config, dict) or config.get("format") != MODEL_FORMAT:
        raise ModelError(f"{path}: not a backprop model (format is {config.get('format') if isinstance(config, dict) else None!r})")
    if config.get("formatVersion") != MODEL_FORMAT_VERSION:
        raise ModelError(f"{path}: model format version {config.get('formatVersion')} is not supported (this file reads version {MODEL_FORMAT_VERSION})")
    return config


def load(directory=HERE):
    """(net, config): the network with its weights, in evaluation mode, and the parsed model.json."""
    config = read_config(directory)
    net = build(config)
    load_weights(net, os.path.join(directory, WEIGHTS_FILE))
    net.eval()
    return net, config


# --- CSV data (backprop's rules: a header row, columns by name, numeric features) ----------------


def read_csv(path, rank=0, world=1):
    """(header, rows, row numbers, total rows) of a CSV file, keeping data rows rank, rank + world, ...
    (all of them by default). Blank lines are skipped; every row must have the header's width."""
    header, rows, numbers, total = None, [], [], 0
    try:
        with open(path, newline="", encoding="utf-8") as f:
            for record in csv.reader(f):
                if not record:
                    continue
                if header is None:
                    header = [h.strip() for h in record]
                    continue
                if len(record) != len(header):
                    raise ModelError(f"{path}: row {total + 1} has {len(record)} fields, the header has {len(header)}")
                if total % world == rank:
                    rows.append(record)
                    numbers.append(total)
                total += 1
    except OSError as e:
        raise ModelError(f"cannot read data file {path!r}: {e.strerror}") from None
    if header is None or total == 0:
        raise ModelError(f"{path}: expected a header row and data rows")
    return header, rows, numbers, total


def number(cell, path, row, column):
    """One numeric cell; empty cells, text and non-finite values are errors naming the row and column."""
    s = cell.strip()
    try:
        v = float(s)
    except ValueError:
        v = math.nan
    if not math.isfinite(v):
        what = "empty value" if s == "" else f"{s!r} is not a finite number"
        raise ModelError(f"{path}: row {row + 2}, column {column!r}: {what}")
    return v


def feature_names(config, header, targets, path):
    """The model's feature columns: model.json's featureNames, else every column that is not a target."""
    names = config.get("featureNames") or [h for h in header if h not in targets]
    missing = [n for n in names if n not in header]
    if missing:
        raise ModelError(f"{path}: feature column {missing[0]!r} not found; columns are {', '.join(header)}")
    inputs = config["architecture"]["inputs"]
    if len(names) != inputs:
        raise ModelError(f"{path}: {len(names)} feature columns, the model expects {inputs}")
    return names


def feature_matrix(header, rows, names, path, row_numbers=None):
    """Float32 tensor [rows, features] of the named columns; row_numbers gives each row's index in the file."""
    columns = [header.index(n) for n in names]
    numbers = row_numbers if row_numbers is not None else range(len(rows))
    values = [[number(row[k], path, r, header[k]) for k in columns] for r, row in zip(numbers, rows)]
    return torch.tensor(values, dtype=torch.float32).reshape(len(rows), len(columns))


def prediction_csv(config, outputs):
    """The table `backprop predict` writes for outputs [m, k]."""
    task = config.get("task")
    labels = config.get("labels")
    k = outputs.shape[1]
    lines = []
    rows = outputs.tolist()
    if task == "classification":
        labels = labels or list(range(k))
        target = (config.get("targetNames") or ["label"])[0]
        lines.append([target] + [f"prob_{label}" for label in labels])
        for p in rows:
            best = max(range(k), key=lambda j: (p[j], -j))
            lines.append([str(labels[best])] + [repr(v) for v in p])
    elif task == "multilabel":
        names = [str(label) for label in labels] if labels and len(labels) == k else [f"label{j}" for j in range(k)]
        lines.append([f"prob_{n}" for n in names] + names)
        for p in rows:
            lines.append([repr(v) for v in p] + ["1" if v >= 0.5 else "0" for v in p])
    else:
        targets = config.get("targetNames") or []
        lines.append(targets if len(targets) == k else [f"output{j}" for j in range(k)])
        for p in rows:
            lines.append([repr(v) for v in p])
    out = []
    for line in lines:
        out.append(",".join('"' + c.replace('"', '""') + '"' if any(ch in c for ch in ',"\r\n') else c for c in line))
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Predict with this backprop model in PyTorch: writes the CSV `backprop predict` writes "
        "(the label and prob_<label> columns for classification, values for regression).")
    parser.add_argument("--model", default=HERE, help="model folder (default: the folder of this file)")
    parser.add_argument("--data", required=True, help="CSV file with a header row and the model's feature columns")
    parser.add_argument("--out", help="write the CSV here instead of to stdout")
    args = parser.parse_args(argv)
    try:
        net, config = load(args.model)
        header, rows, _, _ = read_csv(args.data)
        names = feature_names(config, header, config.get("targetNames") or [], args.data)
        with torch.no_grad():
            text = prediction_csv(config, net(feature_matrix(header, rows, names, args.data)))
    except ModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.out:
        tmp = f"{args.out}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, args.out)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
