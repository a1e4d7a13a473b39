#!/usr/bin/python3
"""Compares `avvp forward` outputs with expected ones: the largest absolute difference
per output and over all of them.

usage: compare.py EXPECTED_DIR DUMP_DIR [--tol 1e-4]   (exit 1 when above --tol)"""

import argparse
import os
import sys

import numpy as np

NAMES = ["global_prob", "a_prob", "v_prob", "frame_prob", "frame_logits"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("expected")
    ap.add_argument("dump")
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args()
    worst = 0.0
    for n in NAMES:
        e = np.load(os.path.join(a.expected, n + ".npy"))
        g = np.load(os.path.join(a.dump, n + ".npy"))
        if e.shape != g.shape:
            sys.exit("%s: shape %s, expected %s" % (n, g.shape, e.shape))
        d = float(np.abs(e.astype(np.float64) - g.astype(np.float64)).max())
        worst = max(worst, d)
        print("%-13s %-16s max |diff| %.3g" % (n, str(g.shape), d))
    print("largest difference %.3g (tolerance %g): %s" % (worst, a.tol, "ok" if worst <= a.tol else "FAILED"))
    sys.exit(0 if worst <= a.tol else 1)


if __name__ == "__main__":
    main()
