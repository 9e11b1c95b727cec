#!/usr/bin/env bash
# The handwritten digits with the command line: train, evaluate, predict and inspect a model.
#
#   bash examples/digits-cli.sh [epochs] [model-dir]
#
# In a project that depends on backprop, `backprop` is `npx backprop`; here it is the built CLI.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
backprop() { node "$ROOT/dist/cli/main.js" "$@"; }
EPOCHS="${1:-30}"
MODEL="${2:-models/digits-example}"

# 64 pixels → 64 → 32 ReLU → 10 softmax, standardised inputs, a seeded 20% test split.
backprop train --data "$ROOT/data/digits.csv" --target digit --task classification --layers 64,32 \
  --standardize --test-split 0.2 --epochs "$EPOCHS" --optimizer adam --lr 0.001 --seed 1 --out "$MODEL" --quiet
backprop summary --model "$MODEL"
backprop eval --model "$MODEL" --data "$ROOT/data/digits.csv"
backprop predict --model "$MODEL" --data "$ROOT/data/digits.csv" --out "$MODEL/../digits-predictions.csv"
head -3 "$MODEL/../digits-predictions.csv"
