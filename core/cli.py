"""The command line: ``ffn train | evaluate | predict | download``.

Every user error prints one line, ``ffn: error: ...``, to stderr and exits with status 2 (1 for
an interrupted or diverged run); nothing prints a traceback. NumPy and the engine are imported
inside the commands, so ``ffn --help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def _hidden(text: str) -> tuple[int, ...]:
    from .errors import ConfigError
    from .text import parse_hidden

    try:
        return parse_hidden(text)
    except ConfigError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


TRAIN_BLAS_THREADS = 1


class _Registered:
    """The names in one of core's registries (activations, costs, optimisers...), as argparse
    choices, looked up only when a command needs them: ``ffn --help`` imports no NumPy."""

    def __init__(self, module: str, registry: str) -> None:
        self.module, self.registry = module, registry

    def _names(self) -> list[str]:
        import importlib

        return list(getattr(importlib.import_module(f"core.{self.module}"), self.registry))

    def __iter__(self):
        return iter(self._names())

    def __contains__(self, name: object) -> bool:
        return name in self._names()


class _Version(argparse.Action):
    """``--version``: the package's version, looked up only when asked for."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from .package import version

        print(f"ffn {version()}")
        parser.exit()


DATA_ADVICE = "give --data PATH, set MNIST_DIR, or run `ffn download`"
MODEL_HELP = "default: the bundled model the window starts with"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ffn",
        description="Train, evaluate and use ffn-gui's NumPy feed-forward network on MNIST.",
    )
    p.add_argument("--version", action=_Version, help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_train(sub)
    _add_evaluate_predict_download(sub)
    return p


def _add_train(sub) -> None:
    t = sub.add_parser("train", help="train a network and save it",
                       description="Train a network on MNIST and save it as a model file.")
    t.add_argument("--data", metavar="PATH", help="folder of MNIST IDX files, a Kaggle "
                   "train.csv or a Keras .npz (default: $MNIST_DIR, then the download folder)")
    t.add_argument("--preset", default="default", choices=["seed", "default"],
                   help="seed = the notes' network; default = the best found (default)")
    _add_settings(t)
    t.add_argument("--out", metavar="MODEL.npz", help="where to save the model "
                   "(default: ./<preset>.npz)")
    t.add_argument("--name", help="the model's name (default: the file name)")
    t.add_argument("--extra", metavar="FILE", help="a my-digits file (the window's My digits "
                   "→ Export) mixed into the training digits, repeated to a fifth of them")


CLI_TYPES = {"count": _positive_int, "hidden": _hidden, "float": float}


def _add_settings(t: argparse.ArgumentParser) -> None:
    """An option for each training setting of core.fields' table, in its order."""
    from .fields import FIELDS

    for f in FIELDS.values():
        kwargs = {"dest": f.name, **f.cli}
        if f.choices:
            kwargs["choices"] = _Registered(*f.choices)
        if f.cli_type == "bool":
            kwargs["action"] = argparse.BooleanOptionalAction
        elif f.cli_type:
            kwargs["type"] = CLI_TYPES[f.cli_type]
        t.add_argument(f.option, **kwargs)


def _add_evaluate_predict_download(sub) -> None:
    e = sub.add_parser("evaluate", help="test accuracy and confusion matrix of a model")
    e.add_argument("--model", metavar="MODEL.npz", help=MODEL_HELP)
    e.add_argument("--data", metavar="PATH", help="a folder with t10k-images-idx3-ubyte.gz and "
                   "t10k-labels-idx1-ubyte.gz (the training files are not needed) or a Keras "
                   ".npz (default: $MNIST_DIR, then the download folder)")

    r = sub.add_parser("predict", help="read a digit from an image, or write a Kaggle "
                       "submission")
    r.add_argument("--model", metavar="MODEL.npz", help=MODEL_HELP)
    r.add_argument("input", metavar="INPUT", help="an image of one digit (PNG, JPEG or BMP), or "
                   "Kaggle test.csv")
    r.add_argument("--out", metavar="FILE", help="submission file for a test.csv "
                   "(default: submission.csv)")
    r.add_argument("--raw", action="store_true",
                   help="feed the image resized to 28x28 as is, without MNIST's centring")

    d = sub.add_parser("download", help="download MNIST (about 11 MB) and verify it")
    d.add_argument("--dest", metavar="DIR", help="default: the per-user cache folder")


def cmd_train(args: argparse.Namespace) -> int:
    from threadpoolctl import threadpool_limits

    from .data import find_mnist, load_data
    from .model_io import model_file_bytes
    from .run import train_run
    from .text import format_duration
    from .training import EpochProgress, preset

    config = preset(args.preset, **_overrides(args))
    out = Path(args.out or f"{args.preset}.npz")
    _check_out(out, model_file_bytes(config.sizes))
    mine = _read_extra(args.extra)
    data = load_data(args.data or find_mnist(advice=DATA_ADVICE))
    config.validate(n_examples=len(data.train))
    print(f"data: {len(data.train) - config.validation:,} train · {config.validation:,} "
          f"validation · {len(data.test) if data.test else 0:,} test — from {data.source}")
    extra = _repeated(mine, len(data.train) - config.validation, config.seed, args.extra)
    network = config.make_network()
    print(f"network: {network.describe()}, {config.optimizer} α={config.learning_rate:g} "
          f"batch {config.batch_size}, {config.epochs} epochs (preset {args.preset})",
          flush=True)

    def report(p) -> None:
        if isinstance(p, EpochProgress):
            valid = f"  valid {p.val_accuracy:6.2%}" if p.val_accuracy is not None else ""
            print(f"epoch {p.epoch:>3}/{p.epochs}  cost {p.train_cost:.4f}  train "
                  f"{p.train_accuracy:6.2%}{valid}  elapsed {format_duration(p.elapsed)}  "
                  f"ETA {format_duration(p.eta)}", flush=True)

    # One BLAS thread: on this project's 2-core machine it is as fast at batch 10 and far
    # faster at 128 when the other core is busy (docs/speed.md).
    with threadpool_limits(limits=TRAIN_BLAS_THREADS, user_api="blas"):
        outcome = train_run(config, data, network, extra=extra, on_progress=report)
    if outcome.test_accuracy is not None:
        print(f"test accuracy: {outcome.test_accuracy:.2%}")
    if network.reject is not None:
        print(f"not a digit: when its {network.reject.score.replace('_', ' ')} is below "
              f"{network.reject.below:.3g}")
    _save_or_rescue(out, network, config=config, metrics=outcome.metrics,
                    data_checksum=outcome.data_checksum, name=args.name)
    print(f"saved {out}")
    return 0


def _overrides(args: argparse.Namespace) -> dict:
    """The settings given on the command line, as TrainConfig's keywords."""
    from dataclasses import fields

    from .fields import FIELDS
    from .train_config import TrainConfig

    known = {f.name for f in fields(TrainConfig)}
    return {name: getattr(args, name) for name in FIELDS
            if name in known and getattr(args, name) is not None}


def _save_or_rescue(out: Path, network, **header) -> None:
    """Save the trained model to ``out``; should that fail after all (the disk filled during
    the run), save it in the temporary folder instead and say where, so the run is not lost."""
    import tempfile

    from .errors import WriteError
    from .model_io import save_model

    try:
        save_model(out, network, **header)
    except WriteError as error:
        fd, spare = tempfile.mkstemp(prefix=f"{out.stem}-", suffix=".npz")
        os.close(fd)
        try:
            save_model(spare, network, **{**header, "name": header.get("name") or out.stem})
        except WriteError:
            os.unlink(spare)
            raise error from None
        raise _Fail(f"{error}; the trained model was saved to {spare} instead") from None


def _check_out(out: Path, nbytes: int) -> None:
    """Before a run: ``--out`` is a file name in a folder that takes a model of ``nbytes`` (a
    probe file of that size is written and removed), so the run cannot end in a failed save."""
    from .atomic import check_writable

    if out.is_dir():
        raise _Fail(f"--out {out} is a folder; give a file name such as model.npz")
    if not out.parent.exists():
        raise _Fail(f"--out {out}: folder {out.parent} does not exist")
    check_writable(out, nbytes)


def _read_extra(path: str | None):
    """The digits of the my-digits file ``--extra`` names (None without one)."""
    if not path:
        return None
    from .mydigits import MyDigits

    mine = MyDigits.read(path).dataset()
    if not len(mine):
        raise _Fail(f"--extra {path}: the file holds no digits")
    return mine


def _repeated(mine, n_train: int, seed: int, path: str | None):
    """``mine`` repeated to a fifth of the training mix, as a fine-tune does (None stays None)."""
    if mine is None:
        return None
    import numpy as np

    from .finetune import oversampled

    extra = oversampled(mine, n_train, np.random.default_rng([seed, 3]))
    print(f"extra: {len(mine):,} digits from {path}, repeated to {len(extra):,} "
          f"({len(extra) / (len(extra) + n_train):.0%} of the training digits)")
    return extra


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .data import load_test_data
    from .evaluation import confusion_text, evaluate_model

    model = _load_model(args.model)
    split = load_test_data(args.data, advice=DATA_ADVICE)
    result = evaluate_model(model.network, split.images, split.labels)
    print(f"model: {model.name} ({model.network.describe()})")
    print(f"test accuracy: {result.accuracy:.2%}  ({result.correct:,} of "
          f"{len(result):,} from {split.source})")
    print("per digit: " + "  ".join(f"{d}: {a:.1%}" for d, a in enumerate(result.per_class)))
    print(confusion_text(result.confusion))
    return 0


def _load_model(path: str | None):
    """The model ``--model`` names, or the bundled one (said on stderr), checked to read
    MNIST digits."""
    from .model_io import load_model
    from .rows import mnist_problem

    if path is None:
        from .package import bundled_model_path

        path = bundled_model_path()
        if not path.is_file():
            raise _Fail(f"no --model given and the bundled model {path} is missing; give "
                        "--model MODEL.npz (ffn train makes one)")
        print(f"ffn: using the bundled model {path} (--model chooses another)", file=sys.stderr)
    model = load_model(path)
    problem = mnist_problem(model.network)
    if problem:
        raise _Fail(f"model {model.name!r} {problem}")
    return model


def cmd_predict(args: argparse.Namespace) -> int:
    import numpy as np

    from .preprocess import as_read_by
    from .rows import as_inputs

    model = _load_model(args.model)
    path = Path(args.input)
    if path.suffix.lower() == ".csv":
        from .data import load_kaggle_csv

        data = load_kaggle_csv(path, kind="test")
        labels = model.network.predict(as_inputs(as_read_by(model.network, data.images)))
        out = Path(args.out or "submission.csv")
        _write_atomic(out, "ImageId,Label\n" + "".join(
            f"{i},{int(label)}\n" for i, label in enumerate(labels, start=1)))
        print(f"wrote {len(labels):,} predictions to {out}")
        return 0
    from .images import read_image
    from .predictor import Predictor
    from .reject import judge

    image = read_image(path)
    probs, x = Predictor(model.network, preprocess=not args.raw).predict(image)
    if probs is None:
        raise _Fail(f"{path}: the image is empty (no ink found): nothing to read")
    digit = int(np.argmax(probs))
    read, score = judge(model.network, x)
    if read is None:
        rule = model.network.reject
        print(f"not a digit  (its {rule.score.replace('_', ' ')} {score:.3g} is below the "
              f"model's threshold {rule.below:.3g}; its best guess would be {digit}, "
              f"{probs[digit]:.1%})")
    else:
        print(f"digit: {digit}  (confidence {probs[digit]:.1%})")
    for d, p in enumerate(probs):
        print(f"  {d}: {p:6.1%} {'█' * int(round(p * 40))}")
    return 0


def _write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``; a WriteError names the file and why (the old file, if
    any, is unchanged)."""
    from .atomic import write_atomic

    folder = path.parent
    if not folder.is_dir():
        raise _Fail(f"{path}: folder {folder} does not exist")
    write_atomic(path, text)


def cmd_download(args: argparse.Namespace) -> int:
    from .download import download_mnist

    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or done >= total:
            last[0] = now
            print(f"\r{done / 2**20:5.1f} / {total / 2**20:.1f} MiB", end="", file=sys.stderr,
                  flush=True)

    dest = download_mnist(args.dest, progress=progress)
    print(file=sys.stderr)
    print(f"MNIST is in {dest}")
    return 0


class _Fail(Exception):
    """A user error found by the command line itself."""


COMMANDS = {"train": cmd_train, "evaluate": cmd_evaluate, "predict": cmd_predict,
            "download": cmd_download}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .errors import FFNError, TrainingDiverged

    try:
        return COMMANDS[args.command](args)
    except TrainingDiverged as e:
        print(f"ffn: error: {e}", file=sys.stderr)
        return 1
    except (FFNError, _Fail) as e:
        print(f"ffn: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nffn: interrupted", file=sys.stderr)
        return 130
    except OSError as e:
        print(f"ffn: error: {e.filename or ''}: {e.strerror or e}".replace(" : ", " "),
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
