"""Training speed: this engine against PyTorch CPU, side by side, one thread each.

    python benchmarks/bench_train.py [--epochs 6] [--configs seed,default] [--cpu N]

Trains the `seed` config (784-128-128-10 sigmoid, quadratic cost, SGD, batch 10, α 3.0) and
the `default` config (ReLU, softmax + cross-entropy, AdamW-style decay, batch 128) on MNIST
from $MNIST_DIR (random data of MNIST's shape if it is not set), each engine in its own process
with OPENBLAS_NUM_THREADS=1 / torch.set_num_threads(1), and prints the median epoch time of each
(the first epoch is a warm-up and not counted), their ratio, and for `default` the fraction of
the measured single-thread sgemm peak the engine's epoch reaches.

The two processes take turns on one CPU, one epoch at a time (engine, PyTorch, PyTorch,
engine, ...), the other waiting idle: this machine's speed drifts by tens of percent over a
minute, and its two CPUs can differ by as much at the same moment, so taking turns on the same
CPU puts both under the same conditions (--cpu picks it; default: the last one allowed).

Both sides time the same work: shuffle, slice mini-batches, forward, backward, update; no
augmentation, no evaluation. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, which this workplace sets to
pin old OpenBLAS builds to the Haswell kernel, are removed for the engine's process so NumPy's
OpenBLAS picks its kernel for this CPU (PyTorch ignores them); --keep-openblas-env keeps them.
PyTorch is a benchmark-only extra (`pip install torch`), never a dependency.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONFIGS = ("seed", "default")


def load_arrays():
    from core.data import load_idx_folder

    folder = os.environ.get("MNIST_DIR")
    if folder and Path(folder).is_dir():
        data = load_idx_folder(folder).train
        return data.images, data.labels, f"MNIST from {folder}"
    rng = np.random.default_rng(0)
    images = (rng.random((60_000, 28, 28)) < 0.2) * rng.integers(0, 256, (60_000, 28, 28))
    return images.astype(np.uint8), rng.integers(0, 10, 60_000).astype(np.uint8), "random data"


def say(message: dict) -> None:
    print(json.dumps(message), flush=True)


def wait_for_turn() -> float:
    """Block until the parent says "go"; return the time the turn started."""
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("the benchmark's parent went away")
    return time.perf_counter()


def child_engine(name: str, epochs: int) -> None:
    from threadpoolctl import threadpool_info

    from core.training import EpochProgress, preset, train

    images, labels, source = load_arrays()

    class Set:
        pass

    s = Set()
    s.images, s.labels = images, labels
    cfg = preset(name, epochs=epochs, augment=False, validation=0)
    net = cfg.make_network()
    kernel = ", ".join(f"{i.get('internal_api')} {i.get('architecture')}"
                       for i in threadpool_info() if i.get("user_api") == "blas")
    say({"source": source, "kernel": kernel})
    started = wait_for_turn()

    def on_progress(p) -> None:
        nonlocal started
        if isinstance(p, EpochProgress):
            say({"time": time.perf_counter() - started})
            if p.epoch < epochs:
                started = wait_for_turn()

    train(net, cfg, s, on_progress=on_progress, train_metrics=False)


def child_torch(name: str, epochs: int) -> None:
    import torch

    torch.set_num_threads(1)
    images, labels, source = load_arrays()
    X = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255)
    y = torch.from_numpy(labels.astype(np.int64))
    Y = torch.nn.functional.one_hot(y, 10).float()
    torch.manual_seed(0)
    L = torch.nn.Linear
    if name == "seed":
        S = torch.nn.Sigmoid
        model = torch.nn.Sequential(L(784, 128), S(), L(128, 128), S(), L(128, 10), S())
        opt = torch.optim.SGD(model.parameters(), lr=3.0)
        batch = 10

        def loss_fn(out, idx):  # the notes' ½‖y − a‖², averaged over the batch
            return 0.5 * ((out - Y[idx]) ** 2).sum() / len(idx)
    else:
        R = torch.nn.ReLU
        model = torch.nn.Sequential(L(784, 128), R(), L(128, 128), R(), L(128, 10))
        weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
        biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
        opt = torch.optim.AdamW([{"params": weights, "weight_decay": 1e-4},
                                 {"params": biases, "weight_decay": 0.0}], lr=2e-3)
        batch = 128
        ce = torch.nn.CrossEntropyLoss()

        def loss_fn(out, idx):
            return ce(out, y[idx])
    say({"source": source,
         "kernel": f"torch {torch.__version__} {torch.backends.cpu.get_cpu_capability()}"})
    for _ in range(epochs):
        t0 = wait_for_turn()
        perm = torch.randperm(len(X))
        for k in range(0, len(X), batch):
            idx = perm[k : k + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(X[idx]), idx)
            loss.backward()
            opt.step()
        say({"time": time.perf_counter() - t0})


def child_peak() -> dict:
    n = 2048
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = a.copy()
    a @ b
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        a @ b
        runs.append(time.perf_counter() - t0)
    return {"gflops": 2 * n**3 / statistics.median(runs) / 1e9}


def flops_per_epoch(n: int = 60_000, sizes=(784, 128, 128, 10)) -> float:
    """Multiply-adds of forward (z = aW), weight gradients (δᵀa) and input gradients (δW, not
    for the input layer), times two flops each, for n examples."""
    pairs = list(zip(sizes[:-1], sizes[1:]))
    macs = 2 * sum(i * o for i, o in pairs) + sum(i * o for i, o in pairs[1:])
    return 2.0 * macs * n


def child_env(keep_env: bool) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if not keep_env:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    return env


def child_command(kind: str, name: str, epochs: int, cpu: int | None) -> list[str]:
    return [sys.executable, __file__, "--child", kind, "--configs", name, "--epochs", str(epochs),
            *(["--cpu", str(cpu)] if cpu is not None else [])]


class Child:
    """A child process that trains one epoch each time it is told "go"."""

    def __init__(self, kind: str, name: str, epochs: int, keep_env: bool, cpu: int | None):
        self.kind = kind
        self.proc = subprocess.Popen(child_command(kind, name, epochs, cpu),
                                     env=child_env(keep_env),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.info = self._read()
        self.times: list[float] = []

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read().strip().splitlines()
            raise RuntimeError(f"{self.kind} failed: {err[-1] if err else 'no output'}")
        return json.loads(line)

    def epoch(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        self.times.append(self._read()["time"])

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def peak_gflops(keep_env: bool, cpu: int | None) -> float:
    out = subprocess.run(child_command("peak", "seed", 1, cpu), env=child_env(keep_env),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["gflops"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=6, help="epochs per run (first is warm-up)")
    p.add_argument("--configs", default=",".join(CONFIGS))
    p.add_argument("--child", choices=["engine", "torch", "peak"], help=argparse.SUPPRESS)
    p.add_argument("--keep-openblas-env", action="store_true")
    pinning = hasattr(os, "sched_setaffinity")
    p.add_argument("--cpu", type=int, default=max(os.sched_getaffinity(0)) if pinning else None,
                   help="the CPU every timed process runs on (default: the last one allowed)")
    args = p.parse_args()
    names = args.configs.split(",")
    if pinning and args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    if args.child == "peak":
        say(child_peak())
        return
    if args.child:
        (child_engine if args.child == "engine" else child_torch)(names[0], args.epochs)
        return
    try:
        import torch  # noqa: F401

        have_torch = True
    except ImportError:
        have_torch = False
        print("PyTorch is not installed: timing the engine only (pip install torch)")
    peak = peak_gflops(args.keep_openblas_env, args.cpu)
    print(f"measured sgemm peak (1 thread, 2048³, CPU {args.cpu}): {peak:.1f} GFLOP/s")
    for name in names:
        kinds = ["engine", "torch"] if have_torch else ["engine"]
        children = [Child(kind, name, args.epochs, args.keep_openblas_env, args.cpu)
                    for kind in kinds]
        try:
            for epoch in range(args.epochs):  # taking turns: E T, T E, E T, ...
                for child in children if epoch % 2 == 0 else children[::-1]:
                    child.epoch()
        finally:
            for child in children:
                child.close()
        eng = children[0]
        e = statistics.median(eng.times[1:] or eng.times)
        print(f"[{name}] data: {eng.info['source']}")
        print(f"  engine  ({eng.info['kernel']}): median epoch {e:.3f} s "
              f"(epochs: {', '.join(f'{t:.3f}' for t in eng.times)})")
        if have_torch:
            tor = children[1]
            t = statistics.median(tor.times[1:] or tor.times)
            print(f"  pytorch ({tor.info['kernel']}): median epoch {t:.3f} s "
                  f"(epochs: {', '.join(f'{x:.3f}' for x in tor.times)})")
            target = {"seed": 0.30, "default": 0.55}.get(name)
            turns = [a / b for a, b in zip(eng.times[1:], tor.times[1:])]
            print(f"  engine/pytorch = {e / t:.3f}" + (f"  (target <= {target})" if target else "")
                  + (f"; epoch by epoch {min(turns):.3f}-{max(turns):.3f}" if turns else ""))
        if name == "default":
            frac = flops_per_epoch() / e / 1e9 / peak
            print(f"  engine reaches {flops_per_epoch() / e / 1e9:.1f} GFLOP/s = {frac:.0%} of "
                  "sgemm peak (target >= 45%)")


if __name__ == "__main__":
    main()
