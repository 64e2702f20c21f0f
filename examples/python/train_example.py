"""Trains a tiny logistic regression by gradient descent and tracks it in a runbus service over its
TCP bridge. Standard library only.

    RUNBUS_SERVICE_TOKEN=$(cat <data dir>/service.token) python3 train_example.py [--steps N]
"""

import argparse
import math
import random

from runbus_bridge import Run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--project", default="bridge-example")
    args = parser.parse_args()

    rng = random.Random(7)
    true_w = [1.5, -2.0, 0.5]
    data = []
    for _ in range(256):
        x = [rng.gauss(0, 1) for _ in true_w]
        z = sum(w * xi for w, xi in zip(true_w, x))
        data.append((x, 1 if rng.random() < 1 / (1 + math.exp(-z)) else 0))

    config = {"lr": args.lr, "steps": args.steps, "features": len(true_w), "optimizer": "gd"}
    with Run(project=args.project, config=config, tags=["example", "python"]) as run:
        run.define_metric("acc", summary="max", goal="maximize")
        w = [0.0] * len(true_w)
        for step in range(args.steps):
            grad, loss, correct = [0.0] * len(w), 0.0, 0
            for x, y in data:
                p = 1 / (1 + math.exp(-sum(wi * xi for wi, xi in zip(w, x))))
                loss -= math.log(p if y else 1 - p)
                correct += (p > 0.5) == bool(y)
                for i, xi in enumerate(x):
                    grad[i] += (p - y) * xi
            w = [wi - args.lr * g / len(data) for wi, g in zip(w, grad)]
            run.log({"loss": loss / len(data), "acc": correct / len(data),
                     "weights": {"w%d" % i: wi for i, wi in enumerate(w)}})
        run.summary["final_weights"] = w
        result = run.finish()
    print("run %s: %d rows in %s" % (result["run"], result["history_rows"], result["log"]))


if __name__ == "__main__":
    main()
