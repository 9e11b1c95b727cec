#!/usr/bin/env python3
# written by backprop
"""Continue training this backprop model in PyTorch, on several processes with DistributedDataParallel.

    torchrun --standalone --nproc_per_node 2 train.py --data FILE.csv --epochs 3 --batch-size 32 --out DIR2

Every process (rank) reads its shard of the CSV rows (rank r keeps rows r, r + N, r + 2N, ... of N
ranks), computes the gradient of its part of each batch, and DistributedDataParallel averages the
gradients: gloo on CPUs, nccl on CUDA GPUs (one per rank). Rank 0 then writes DIR2 as a backprop
model directory (model.json + weights.safetensors, with the scaler, labels, task and loss kept and
the training record updated), which `backprop eval/predict --model DIR2` read, and which this file
continues from with `--model DIR2`.

Each step is exactly backprop's step on the same rows: a batch is B consecutive positions of the
data, position p being row p//N of rank p%N's shard (so with --no-shuffle the batches are rows
[0, B), [B, 2B), ... as backprop takes them), and every rank scales the sum of its examples' losses
by N/(rows in the batch), so that the average DistributedDataParallel takes is the batch's mean-loss
gradient even when the ranks hold different numbers of its rows. With --shuffle (the default) each
rank shuffles its own shard every epoch, so the batches mix rows differently from backprop's shuffle.

By default the loss, optimiser and hyper-parameters are the model's own (model.json's loss and
training record). The losses, optimisers and learning-rate schedules follow backprop's definitions;
`momentum` (v <- beta v + (1 - beta) g, which PyTorch lacks) is a small optimiser below.

Without torchrun, `python3 train.py ...` trains in a single process.

Debian's torchrun 1.13 on Python 3.11 crashes parsing its own default `--redirects 0`: pass
`--redirects 2 --tee 2` to torchrun.
"""

import argparse
import copy
import json
import math
import os
import shutil
import sys
import tempfile
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model as exported  # noqa: E402  (model.py of this folder)
from model import ModelError  # noqa: E402

LOSSES = ["binary_crossentropy", "categorical_crossentropy", "mse", "mae", "huber"]
LOSS_ALIASES = {"bce": "binary_crossentropy", "cce": "categorical_crossentropy", "l2": "mse", "l1": "mae"}
TASK_LOSS = {"classification": "categorical_crossentropy", "multilabel": "binary_crossentropy", "regression": "mse"}
OPTIMIZERS = ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"]
SCHEDULES = ["constant", "step", "exponential", "cosine"]
# backprop's defaults: CSV training runs, and the momentum of each optimiser.
DEFAULT_EPOCHS = 20
DEFAULT_BATCH_SIZE = 32
DEFAULT_MOMENTUM = {"sgd": 0.0, "momentum": 0.9, "nesterov": 0.9, "rmsprop": 0.0}
# The smallest probability backprop feeds to a logarithm when the output is not sigmoid/softmax.
PROB_EPS = 1e-7


# --- Optimisers ----------------------------------------------------------------------------------


class EmaMomentum(torch.optim.Optimizer):
    """Momentum as an exponentially weighted average of gradients: g <- g + lambda w;
    v <- beta v + (1 - beta) g (v starts at 0); w <- w - lr v. (PyTorch's SGD momentum sums instead.)"""

    def __init__(self, params, lr, momentum=0.9, weight_decay=0.0):
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta, decay = group["momentum"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.add(p, alpha=decay) if decay != 0 else p.grad
                state = self.state[p]
                if "velocity" not in state:
                    state["velocity"] = torch.zeros_like(p)
                v = state["velocity"]
                v.mul_(beta).add_(g, alpha=1 - beta)
                p.add_(v, alpha=-group["lr"])


def default_lr(name):
    """backprop's default learning rate: 1e-3 for the adaptive optimisers, 1e-2 for the SGD family."""
    return 1e-3 if name in ("adam", "adamw", "rmsprop") else 1e-2


def make_optimizer(name, params, lr, momentum, weight_decay):
    """backprop's optimiser `name` over `params` (each defined as PyTorch defines it, but `momentum`)."""
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if name == "nesterov":
        if momentum <= 0:
            raise ModelError(f"Nesterov momentum requires a momentum > 0, got {momentum}")
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=True)
    if name == "momentum":
        return EmaMomentum(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=0.99, eps=1e-8, momentum=momentum, weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)
    raise ModelError(f"unknown optimizer {name!r}; expected one of {', '.join(OPTIMIZERS)}")


def learning_rate_at(schedule, base, epoch):
    """The learning rate during `epoch` (from 0), in backprop's closed forms of PyTorch's schedulers."""
    name = schedule["name"]
    if name == "constant":
        return base
    if name == "step":
        return base * schedule["gamma"] ** (epoch // schedule["stepSize"])
    if name == "exponential":
        return base * schedule["gamma"] ** epoch
    low = schedule["minLr"]
    return low + (base - low) * (1 + math.cos(math.pi * epoch / schedule["tMax"])) / 2


# --- Losses --------------------------------------------------------------------------------------


def is_fused(loss, activation):
    """Softmax + CCE and sigmoid + BCE are computed from the logits (stable, gradient y_hat - y)."""
    return (loss, activation) in (("categorical_crossentropy", "softmax"), ("binary_crossentropy", "sigmoid"))


def example_losses(loss, out, y, fused, delta):
    """Loss of each example [m]: summed over outputs for CCE, averaged over outputs otherwise, so that
    their mean over the batch is backprop's loss (PyTorch's reduction='mean'). `out` holds the logits
    when `fused`, the outputs otherwise. Where an unfused cross-entropy clamps a probability to
    [1e-7, 1 - 1e-7], PyTorch's gradient is 0 and backprop's uses the clamped value; only there do they differ."""
    if loss == "categorical_crossentropy":
        logp = F.log_softmax(out, dim=1) if fused else torch.log(out.clamp_min(PROB_EPS))
        return -(y * logp).sum(dim=1)
    if loss == "binary_crossentropy":
        if fused:
            return F.binary_cross_entropy_with_logits(out, y, reduction="none").mean(dim=1)
        p = out.clamp(PROB_EPS, 1 - PROB_EPS)
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean(dim=1)
    if loss == "mse":
        return ((out - y) ** 2).mean(dim=1)
    if loss == "mae":
        return (out - y).abs().mean(dim=1)
    return F.huber_loss(out, y, reduction="none", delta=delta).mean(dim=1)


# --- Data ----------------------------------------------------------------------------------------


def label_index(labels):
    """Looks up a CSV cell among the model's labels: numerically when every label is a number (as backprop)."""
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in labels)
    table = {float(v) if numeric else str(v): k for k, v in enumerate(labels)}

    def find(cell):
        key = cell.strip()
        if numeric:
            try:
                return table.get(float(key))
            except ValueError:
                return None
        return table.get(key)

    return find


def read_shard(path, config, targets, task, rank, world):
    """(x, y, total rows) with rows rank, rank + world, ... of a CSV file, features and targets by name."""
    header, shard, numbers, total = exported.read_csv(path, rank, world)
    missing = [t for t in targets if t not in header]
    if missing:
        raise ModelError(f"{path}: target column {missing[0]!r} not found; columns are {', '.join(header)}")
    names = exported.feature_names(config, header, targets, path)
    x = exported.feature_matrix(header, shard, names, path, numbers)
    outputs = config["architecture"]["outputs"]
    if task == "classification":
        if len(targets) != 1:
            raise ModelError(f"{path}: classification takes exactly one target column, got {', '.join(targets)}")
        labels = config.get("labels") or list(range(outputs))
        find = label_index(labels)
        k = header.index(targets[0])
        y = torch.zeros(len(shard), len(labels))
        for i, (r, row) in enumerate(zip(numbers, shard)):
            j = find(row[k])
            if j is None:
                known = ", ".join(str(v) for v in labels)
                raise ModelError(f"{path}: row {r + 2}, column {targets[0]!r}: label {row[k].strip()!r} is not one of the model's labels ({known})")
            y[i, j] = 1
    else:
        y = exported.feature_matrix(header, shard, targets, path, numbers)
        if task == "multilabel" and not bool(((y == 0) | (y == 1)).all()):
            raise ModelError(f"{path}: multi-label targets must be 0 or 1")
    if y.shape[1] != outputs:
        raise ModelError(f"{path}: {y.shape[1]} target columns, the model has {outputs} outputs")
    return x, y, total


def local_range(begin, end, rank, world):
    """Which of this rank's shard positions fall in the batch of global positions [begin, end)."""
    first = -((rank - begin) // world)  # ceil((begin - rank) / world), at least 0
    last = -((rank - end) // world)
    return max(first, 0), max(last, 0)


# --- Options -------------------------------------------------------------------------------------


def batch_size_option(value):
    if value == "all":
        return value
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'all', got {value!r}")
    return n


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Continue training this backprop model with PyTorch (DistributedDataParallel under torchrun) "
        "and save the result as a backprop model directory. Defaults come from the model's own model.json.",
        epilog="Run on N processes with: torchrun --standalone --nproc_per_node N train.py ... "
        "(Debian's torchrun 1.13 on Python 3.11 also needs --redirects 2 --tee 2).")
    p.add_argument("--model", default=exported.HERE, help="model folder to start from (default: the folder of this file)")
    p.add_argument("--data", required=True, help="CSV file with a header row, the feature columns and the target column(s)")
    p.add_argument("--target", help="target column(s), comma separated (default: the model's targetNames)")
    p.add_argument("--epochs", type=int, help="passes over the data (default: the model's training record, else 20)")
    p.add_argument("--batch-size", type=batch_size_option, help="examples per step across all ranks, or 'all' (default: the model's, else 32)")
    p.add_argument("--shuffle", action=argparse.BooleanOptionalAction, default=True, help="shuffle every epoch (default on; --no-shuffle keeps the row order)")
    p.add_argument("--loss", help=f"{', '.join(LOSSES)} (default: the model's loss)")
    p.add_argument("--optimizer", choices=OPTIMIZERS, help="default: the model's optimiser, else adam")
    p.add_argument("--lr", type=float, help="learning rate (default: the model's when the optimiser is the model's, else 1e-3 adaptive / 1e-2 SGD family)")
    p.add_argument("--momentum", type=float, help="momentum of sgd / momentum / nesterov / rmsprop (default as --lr; else 0, 0.9, 0.9, 0)")
    p.add_argument("--weight-decay", type=float, help="L2 weight decay, decoupled for adamw (default: the model's, else 0)")
    p.add_argument("--l1", type=float, help="L1 penalty: l1*sign(w) added to every gradient after clipping (default: the model's, else 0)")
    p.add_argument("--clip-norm", type=float, help="clip the global gradient norm (default: the model's, else none)")
    p.add_argument("--schedule", choices=SCHEDULES, default="constant", help="learning-rate schedule over this run's epochs (default constant)")
    p.add_argument("--step-size", type=int, help="step schedule: epochs between decays (default epochs/3)")
    p.add_argument("--gamma", type=float, help="step / exponential schedule: decay factor (default 0.1 / 0.95)")
    p.add_argument("--min-lr", type=float, default=0.0, help="cosine schedule: final learning rate (default 0)")
    p.add_argument("--seed", type=int, help="seed of shuffling and dropout (default: the model's, else 1)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="cuda (nccl, one GPU per rank) or cpu (gloo); auto picks cuda when available")
    p.add_argument("--out", required=True, help="model directory to write (model.json + weights.safetensors)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p.parse_args(argv)


def resolve(args, config):
    """The run's settings: the command line's, else the model's training record, else backprop's defaults."""
    record = config.get("training") or {}
    task = config.get("task") or "regression"
    optimizer = args.optimizer or record.get("optimizer") or "adam"
    if optimizer not in OPTIMIZERS:
        raise ModelError(f"the model's optimizer {optimizer!r} is not one of {', '.join(OPTIMIZERS)}")
    same = optimizer == record.get("optimizer")
    loss = args.loss or config.get("loss") or TASK_LOSS[task]
    loss = LOSS_ALIASES.get(loss, loss)
    if loss not in LOSSES:
        raise ModelError(f"unknown loss {loss!r}; expected one of {', '.join(LOSSES)}")
    epochs = args.epochs if args.epochs is not None else record.get("epochs", DEFAULT_EPOCHS)
    momentum = args.momentum if args.momentum is not None else (record.get("momentum") if same else None)
    if optimizer not in DEFAULT_MOMENTUM:
        momentum = None  # adam and adamw have none (backprop ignores --momentum for them too)
    elif momentum is None:
        momentum = DEFAULT_MOMENTUM[optimizer]
    s = {
        "task": task,
        "loss": loss,
        "optimizer": optimizer,
        "lr": args.lr if args.lr is not None else (record.get("lr") if same and record.get("lr") else default_lr(optimizer)),
        "momentum": momentum,
        "weightDecay": args.weight_decay if args.weight_decay is not None else (record.get("weightDecay") or 0.0),
        "l1": args.l1 if args.l1 is not None else (record.get("l1") or 0.0),
        "clipNorm": args.clip_norm if args.clip_norm is not None else record.get("clipNorm"),
        "batchSize": args.batch_size or record.get("batchSize") or DEFAULT_BATCH_SIZE,
        "epochs": epochs,
        "seed": args.seed if args.seed is not None else record.get("seed", 1),
        "shuffle": args.shuffle,
        "targets": args.target.split(",") if args.target else (config.get("targetNames") or []),
    }
    checks = [
        (isinstance(epochs, int) and epochs >= 0, f"--epochs: expected an integer >= 0, got {epochs}"),
        (s["lr"] > 0 and math.isfinite(s["lr"]), f"--lr: must be > 0, got {s['lr']}"),
        (s["momentum"] is None or 0 <= s["momentum"] < 1, f"--momentum: must be in [0, 1), got {s['momentum']}"),
        (s["weightDecay"] >= 0, f"--weight-decay: must be >= 0, got {s['weightDecay']}"),
        (s["l1"] >= 0, f"--l1: must be >= 0, got {s['l1']}"),
        (s["clipNorm"] is None or s["clipNorm"] > 0, f"--clip-norm: must be > 0, got {s['clipNorm']}"),
        (len(s["targets"]) > 0, "--target: the model does not record its target columns (targetNames); name them"),
    ]
    for ok, message in checks:
        if not ok:
            raise ModelError(message)
    schedule = {"name": args.schedule}
    if args.schedule == "step":
        schedule.update(stepSize=args.step_size or max(1, round(epochs / 3)), gamma=args.gamma if args.gamma is not None else 0.1)
    elif args.schedule == "exponential":
        schedule.update(gamma=args.gamma if args.gamma is not None else 0.95)
    elif args.schedule == "cosine":
        schedule.update(tMax=max(1, epochs), minLr=args.min_lr)
    s["schedule"] = schedule
    return s


# --- Processes -----------------------------------------------------------------------------------


def start_processes(device_choice):
    """(rank, world size, device, process-group backend or None): torchrun's environment, else one process."""
    under_torchrun = "RANK" in os.environ and "WORLD_SIZE" in os.environ
    cuda = device_choice == "cuda" or (device_choice == "auto" and torch.cuda.is_available())
    if cuda and not torch.cuda.is_available():
        raise ModelError("--device cuda: PyTorch finds no CUDA GPU")
    if not under_torchrun:
        return 0, 1, torch.device("cuda" if cuda else "cpu"), None
    local = int(os.environ.get("LOCAL_RANK", "0"))
    backend = "nccl" if cuda else "gloo"
    if cuda:
        torch.cuda.set_device(local)
    dist.init_process_group(backend)
    return dist.get_rank(), dist.get_world_size(), torch.device("cuda", local) if cuda else torch.device("cpu"), backend


def all_sum(values, distributed):
    """Sum of a float64 tensor over all ranks (itself in one process)."""
    if distributed:
        dist.all_reduce(values)
    return values


# --- Training ------------------------------------------------------------------------------------


def train(net, config, s, x, y, total, rank, world, device, distributed, log):
    """Runs the epochs; returns (history, stop reason or None, diverged)."""
    fused = is_fused(s["loss"], exported.final_activation(config))
    trunk = net[:-1] if fused else net  # the fused losses take the logits: the network without its softmax/sigmoid
    module = trunk
    if distributed:
        module = DistributedDataParallel(trunk, device_ids=[device.index] if device.type == "cuda" else None, broadcast_buffers=False)
    params = [p for linear in exported.dense_layers(net) for p in (linear.weight, linear.bias)]
    base_lr = s["lr"]
    optimizer = make_optimizer(s["optimizer"], params, base_lr, s["momentum"], s["weightDecay"])
    delta = float(config.get("huberDelta", 1.0))
    batch = total if s["batchSize"] == "all" else min(s["batchSize"], total)
    steps = math.ceil(total / batch)
    torch.manual_seed(s["seed"] + 1_000_003 * rank)  # dropout masks differ between ranks
    order_rng = torch.Generator().manual_seed(s["seed"] + 1_000_003 * rank)
    history, stop_reason = [], None
    last_good = [p.detach().clone() for p in params]
    net.train()
    for epoch in range(s["epochs"]):
        started = time.perf_counter()
        lr = learning_rate_at(s["schedule"], base_lr, epoch)
        for group in optimizer.param_groups:
            group["lr"] = lr
        order = torch.randperm(x.shape[0], generator=order_rng) if s["shuffle"] else torch.arange(x.shape[0])
        order = order.to(device)
        loss_sum = torch.zeros(1, dtype=torch.float64, device=device)
        for step in range(steps):
            begin, end = step * batch, min((step + 1) * batch, total)
            lo, hi = local_range(begin, end, rank, world)
            rows = order[lo:hi]
            per_example = example_losses(s["loss"], module(x[rows]), y[rows], fused, delta)
            summed = per_example.sum()
            optimizer.zero_grad()
            # DistributedDataParallel averages over the ranks: world/(rows in the batch) makes that the batch mean.
            (summed * (world / (end - begin))).backward()
            step_sum = all_sum(summed.detach().to(torch.float64).reshape(1), distributed)
            if not math.isfinite(step_sum.item()):
                stop_reason = f"the loss became {step_sum.item() / (end - begin)} at epoch {epoch + 1}, batch {step + 1}; training stopped and the weights of the last completed epoch were restored (try a smaller learning rate)"
                break
            if s["clipNorm"] is not None:
                torch.nn.utils.clip_grad_norm_(params, s["clipNorm"])
            if s["l1"] > 0:
                # backprop's L1 term, as its optimisers add it: l1*sign(w) after clipping, biases included.
                with torch.no_grad():
                    for p in params:
                        p.grad.add_(torch.sign(p), alpha=s["l1"])
            optimizer.step()
            loss_sum += step_sum
        if stop_reason is None and not all(bool(torch.isfinite(p).all()) for p in params):
            stop_reason = f"the weights became non-finite during epoch {epoch + 1}; training stopped and the weights of the last completed epoch were restored (try a smaller learning rate)"
        if stop_reason is not None:
            with torch.no_grad():
                for p, good in zip(params, last_good):
                    p.copy_(good)
            return history, stop_reason, True
        record = {"epoch": epoch + 1, "loss": loss_sum.item() / total, "lr": lr, "seconds": time.perf_counter() - started}
        history.append(record)
        log(f"epoch {epoch + 1}/{s['epochs']}  loss {record['loss']:.6g}  lr {lr:.3g}  {record['seconds']:.2f} s")
        for p, good in zip(params, last_good):
            good.copy_(p.detach())
    net.eval()
    return history, None, False


def write_model_dir(directory, config, net):
    """Writes model.json + weights.safetensors to a temporary sibling, then swaps it into place."""
    directory = os.path.abspath(directory)
    parent, name = os.path.dirname(directory), os.path.basename(directory)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent)
    try:
        with open(os.path.join(tmp, exported.MODEL_FILE), "w", encoding="utf-8") as f:
            f.write(json.dumps(config, indent=2, allow_nan=False) + "\n")
        exported.write_safetensors(exported.state_tensors(net), os.path.join(tmp, exported.WEIGHTS_FILE))
        old = None
        if os.path.exists(directory):
            old = tmp[: -len(".tmp")] + ".old"
            os.rename(directory, old)
        os.rename(tmp, directory)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def main(argv=None):
    args = parse_args(argv)
    distributed = False
    try:
        net, config = exported.load(args.model)
        s = resolve(args, config)
        rank, world, device, backend = start_processes(args.device)
        distributed = backend is not None
        log = (lambda line: print(line, file=sys.stderr, flush=True)) if rank == 0 and not args.quiet else (lambda line: None)
        # Every rank reads its shard, then all learn whether any failed, so that none waits forever.
        problem = None
        try:
            x, y, total = read_shard(args.data, config, s["targets"], s["task"], rank, world)
        except ModelError as e:
            problem = e
        failed = all_sum(torch.tensor([0.0 if problem is None else 1.0], dtype=torch.float64, device=device), distributed)
        if problem is not None:
            raise problem
        if failed.item() > 0:
            return 1
        net.to(device)
        history, stop_reason, diverged = train(net, config, s, x.to(device), y.to(device), total, rank, world, device, distributed, log)
        if rank == 0:
            out = copy.deepcopy(config)
            out["loss"] = s["loss"]
            # What described the earlier run only (its metrics, held-out splits, backend) is dropped.
            stale = ("metrics", "history", "stopReason", "backend", "validationSplit", "testSplit", "earlyStopping")
            record = {k: v for k, v in (config.get("training") or {}).items() if k not in stale}
            record.update({k: s[k] for k in ("task", "loss", "optimizer", "lr", "momentum", "weightDecay", "l1", "clipNorm", "batchSize", "epochs", "seed", "shuffle")})
            record.update({
                "data": args.data, "schedule": None if s["schedule"]["name"] == "constant" else s["schedule"], "initFrom": os.path.abspath(args.model),
                "trainer": {"program": "train.py", "torch": torch.__version__, "ranks": world, "processGroup": backend, "device": device.type},
                "stopReason": stop_reason, "history": history,
            })
            out["training"] = record
            write_model_dir(args.out, out, net.cpu())
            if stop_reason is not None:
                print(f"{'error' if diverged else 'note'}: {stop_reason}", file=sys.stderr)
            final = f", final loss {history[-1]['loss']:.6g}" if history else ""
            print(f"model saved to {args.out} ({world} rank{'s' if world > 1 else ''}, {backend or 'one process'}, {device.type}, {len(history)} epoch{'s' if len(history) != 1 else ''}{final})")
        if distributed:
            dist.barrier()
        return 1 if diverged else 0
    except ModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        if distributed and dist.is_initialized():
            dist.destroy_process_group()


if __name__ == "__main__":
    sys.exit(main())
