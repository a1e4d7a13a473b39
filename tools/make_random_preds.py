#!/usr/bin/env python3
"""Random but realistic AVVP prediction CSVs for parity tests (standard library only).

For every video of a split it starts from the ground-truth rows and perturbs them the way
real model output and real annotation files do:
  * rows dropped, boundaries jittered by up to +-3 s (which also yields zero-length and
    reversed rows), rows copied to the other modality;
  * spurious rows of random classes, overlapping and touching copies of rows, exact
    duplicates;
  * rows for videos outside the split (other splits' names and names matching no video);
  * times occasionally written as "3.0", rows shuffled.
Output: OUTDIR/pred_audio.csv and OUTDIR/pred_visual.csv (filename, onset, offset,
event_labels). The same seed always gives the same files.

Usage: make_random_preds.py OUTDIR [--seed N] [--split S] [--gt-audio GA] [--gt-visual GV]
       [--llp DIR]
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# One class list and one set of LLP paths for both tools.
from reference_eval import CLASSES, DEFAULT_LLP, SPLIT_FILES  # noqa: E402


def read_rows(path):
    with open(path, "r", encoding="utf-8-sig", newline="") as f:
        lines = [l.rstrip("\r") for l in f.read().split("\n")]
    header = lines[0].split("\t")
    out = []
    for line in lines[1:]:
        if line.strip(" \t"):
            out.append(dict(zip(header, line.split("\t"))))
    return out


def clip(x):
    return max(0, min(10, x))


def fmt_time(rng, t):
    return "%d.0" % t if rng.random() < 0.02 else str(t)


def perturb(rng, rows, names, other_rows):
    """rows: GT rows (filename, onset, offset, label) of the split's videos."""
    out = []
    for name, onset, offset, label in rows:
        r = rng.random()
        if r < 0.15:
            continue  # missed event
        if r < 0.75:
            onset = clip(onset + rng.randint(-3, 3))
            offset = clip(offset + rng.randint(-3, 3))
        elif r < 0.80:
            label = rng.choice(CLASSES)  # wrong class
        out.append((name, onset, offset, label))
        q = rng.random()
        if q < 0.05:
            out.append((name, onset, offset, label))  # exact duplicate
        elif q < 0.12 and offset > onset:
            a = rng.randint(onset, offset)  # overlapping or touching copy
            out.append((name, a, clip(a + rng.randint(0, 4)), label))
    # A few rows taken from the other modality.
    for row in other_rows:
        if rng.random() < 0.08:
            out.append(row)
    # Spurious rows of random classes, some zero-length or reversed.
    for name in names:
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
            a, b = rng.randint(0, 10), rng.randint(0, 10)
            if rng.random() < 0.85 and a > b:
                a, b = b, a
            out.append((name, a, b, rng.choice(CLASSES)))
        if rng.random() < 0.02:
            out.append((name, 0, 10, rng.choice(CLASSES)))
    return out


def outside_rows(rng, llp, split_names):
    """Rows for videos that are not in the split."""
    others = []
    for key, fname in SPLIT_FILES.items():
        path = os.path.join(llp, fname)
        if os.path.exists(path):
            others += [r["filename"] for r in read_rows(path)[:400]]
    others = [n for n in others if n not in split_names]
    rows = []
    for name in rng.sample(others, min(40, len(others))):
        a = rng.randint(0, 9)
        rows.append((name, a, rng.randint(a + 1, 10), rng.choice(CLASSES)))
    for k in range(10):
        # Names that match no video: a truncated id, a stray character, a class name.
        base = rng.choice(sorted(split_names))
        name = rng.choice((base[:-1], base + "`", base.upper(), "Baby_cry_infant_cry",
                           base + "0"))
        if name in split_names:
            continue
        rows.append((name, 0, rng.randint(1, 10), rng.choice(CLASSES)))
    return rows


def write(path, rng, rows):
    rng.shuffle(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("filename\tonset\toffset\tevent_labels\n")
        for name, a, b, label in rows:
            f.write("%s\t%s\t%s\t%s\n" % (name, fmt_time(rng, a), fmt_time(rng, b), label))


def generate(split, gt_audio, gt_visual, outdir, seed, llp=DEFAULT_LLP):
    rng = random.Random(seed)
    names = [r["filename"] for r in read_rows(split)]
    name_set = set(names)

    def gt(path):
        return [(r["filename"], int(float(r["onset"])), int(float(r["offset"])),
                 r["event_labels"]) for r in read_rows(path) if r["filename"] in name_set]

    ga, gv = gt(gt_audio), gt(gt_visual)
    os.makedirs(outdir, exist_ok=True)
    pa = perturb(rng, ga, names, gv) + outside_rows(rng, llp, name_set)
    pv = perturb(rng, gv, names, ga) + outside_rows(rng, llp, name_set)
    write(os.path.join(outdir, "pred_audio.csv"), rng, pa)
    write(os.path.join(outdir, "pred_visual.csv"), rng, pv)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--split", default="test")
    ap.add_argument("--llp", default=DEFAULT_LLP)
    ap.add_argument("--gt-audio")
    ap.add_argument("--gt-visual")
    args = ap.parse_args(argv)
    split = os.path.join(args.llp, SPLIT_FILES[args.split]) if args.split in SPLIT_FILES \
        else args.split
    generate(split, args.gt_audio or os.path.join(args.llp, "AVVP_eval_audio.csv"),
             args.gt_visual or os.path.join(args.llp, "AVVP_eval_visual.csv"),
             args.outdir, args.seed, args.llp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
