#!/usr/bin/python3
"""Outputs of exported backprop models in PyTorch, for test/io/pytorch-predict.test.ts.

    python3 test/io/pytorch-predict.py REQUEST.json

REQUEST.json is {"models": [{"dir": EXPORT_FOLDER, "x": [[...], ...]}, ...]}; prints
{"outputs": [[[...], ...], ...]} (float32 values as Python floats), one entry per model, each from
model.load() of the folder's own model.py.
"""

import importlib.util
import json
import sys

import torch


def load_model_module(folder):
    spec = importlib.util.spec_from_file_location(f"exported_model_{abs(hash(folder))}", f"{folder}/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(path):
    with open(path) as f:
        request = json.load(f)
    outputs = []
    for entry in request["models"]:
        module = load_model_module(entry["dir"])
        net, _ = module.load(entry["dir"])
        assert isinstance(net, torch.nn.Sequential)
        with torch.no_grad():
            outputs.append(net(torch.tensor(entry["x"], dtype=torch.float32)).tolist())
    json.dump({"outputs": outputs}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
