"""How well a model says "not a digit": the non-digit proxy against the real-style digits.

Draws (or reads from ``--cache``) the proxies of ``tests/helpers/nondigits.py``: non-digits
(27 letters, scribbles, shapes, words; a hand and random stream the training negatives never
use), the styles proxy (2,000 digits) and the skeleton proxy (every 10th MNIST test digit at
three sizes), all read as the window reads its board. Prints, for the model:

- the share of non-digits it reads as a digit with at least 90% confidence;
- for each score over its outputs (max probability, energy, margin), the threshold that rejects
  at most 1% of each digit proxy and the share of non-digits it rejects;
- with the model's own rejection rule (if it has one): the accuracy of each digit proxy (a digit
  called "not a digit" counts as wrong), the digits rejected, the non-digits rejected (overall
  and by kind), and the MNIST test accuracy under the rule.

    MNIST_DIR=/path/to/mnist python benchmarks/bench_nondigits.py [--model FILE] [--cache F.npz]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import numpy as np  # noqa: E402


def proxies(mnist: str, cache: str | None) -> dict:
    """The proxies' images and labels (or kinds), drawn once and kept in ``cache``."""
    if cache and Path(cache).is_file():
        with np.load(cache) as z:
            return {k: z[k] for k in z.files}
    from helpers.handwriting import load_mnist_test
    from helpers.nondigits import proxy_nondigits, skeleton_images, styles_images

    t0 = time.process_time()
    non, kinds = proxy_nondigits()
    sty, sty_y = styles_images()
    skel, skel_y = skeleton_images(*load_mnist_test(mnist))
    print(f"drew the proxies in {time.process_time() - t0:.1f} s of CPU")
    sets = {"nondigits": non, "kinds": np.array(kinds), "styles": sty, "styles_y": sty_y,
            "skeleton": skel, "skeleton_y": skel_y}
    if cache:
        np.savez_compressed(cache, **sets)
    return sets


def with_rule(model, sets: dict, mnist: str) -> None:
    """The figures under the model's own rule: accuracies, rejections, by kind."""
    from helpers.nondigits import logits

    from core.data import load_test_data

    net = model.network
    rule = net.reject
    print(f"its rule: not a digit when {rule.score} < {rule.below:.4g}")
    for name in ("styles", "skeleton"):
        z = logits(net, sets[name])
        ok = (np.argmax(z, axis=1) == sets[name + "_y"]) & ~rule.rejects(z)
        print(f"  {name} proxy: read right {ok.mean():.2%}, rejected "
              f"{rule.rejects(z).mean():.2%} (of {len(z):,})")
    test = load_test_data(mnist)
    z = logits(net, test.images)
    ok = (np.argmax(z, axis=1) == test.labels) & ~rule.rejects(z)
    print(f"  MNIST test: {ok.mean():.2%} read right (rejected {rule.rejects(z).mean():.2%}; "
          f"{(np.argmax(z, axis=1) == test.labels).mean():.2%} without the rule)")
    rejected = rule.rejects(logits(net, sets["nondigits"]))
    print(f"  non-digits rejected: {rejected.mean():.2%} (of {len(rejected):,})")
    kinds = sets["kinds"]
    shares = {k: rejected[kinds == k].mean() for k in dict.fromkeys(kinds)}
    print("  by kind:", ", ".join(f"{k.removeprefix('letter ')}: {v:.0%}"
                                  for k, v in shares.items()))



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mnist", default=os.environ.get("MNIST_DIR"), help="MNIST folder")
    parser.add_argument("--model", help="a model file (default: the bundled one)")
    parser.add_argument("--cache", help="keep the drawn proxies in this .npz")
    parser.add_argument("--rate", type=float, default=0.01, help="digits rejected at most")
    args = parser.parse_args(argv)
    if not args.mnist:
        parser.error("give --mnist or set MNIST_DIR")
    from helpers.nondigits import logits, rejection_table

    from core.model_io import load_model
    from core.package import bundled_model_path

    model = load_model(args.model or bundled_model_path())
    sets = proxies(args.mnist, args.cache)
    print(f"model: {model.name} ({model.network.describe()}); {len(sets['nondigits']):,} "
          f"non-digits, {len(sets['styles']):,} style and {len(sets['skeleton']):,} skeleton "
          "digits")
    p = np.exp(logits(model.network, sets["nondigits"]))
    p /= p.sum(axis=1, keepdims=True)
    letters = np.char.startswith(sets["kinds"].astype(str), "letter ")
    sure = p.max(axis=1) >= 0.9
    print(f"non-digits read as a digit with >= 90% confidence: {sure.mean():.1%} "
          f"(letters {sure[letters].mean():.1%}, the rest {sure[~letters].mean():.1%})")
    print("| score | threshold | styles rejected | skeleton rejected | non-digits rejected "
          "| letters rejected |")
    digit_sets = {"styles": sets["styles"], "skeleton": sets["skeleton"]}
    for row in rejection_table(model.network, digit_sets, sets["nondigits"], args.rate):
        from core.reject import RejectRule

        rej = RejectRule(row.score, row.threshold).rejects(logits(model.network,
                                                                  sets["nondigits"]))
        print(f"| {row.score} | {row.threshold:.4g} | {row.digits_rejected['styles']:.2%} | "
              f"{row.digits_rejected['skeleton']:.2%} | {row.nondigits_rejected:.1%} | "
              f"{rej[letters].mean():.1%} |")
    for name in ("styles", "skeleton"):
        z = logits(model.network, sets[name])
        print(f"{name} proxy read right, every drawing a digit: "
              f"{(np.argmax(z, axis=1) == sets[name + '_y']).mean():.2%}")
    if getattr(model.network, "reject", None) is not None:
        with_rule(model, sets, args.mnist)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
