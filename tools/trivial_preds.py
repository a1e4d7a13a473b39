#!/usr/bin/env python3
"""Trivial baselines for `avvp eval`: LLP dense prediction CSVs that use no features.

  none      predicts nothing at all
  majority  predicts the most frequent class of the training weak labels, heard and
            seen, in every segment of every video

usage: tools/trivial_preds.py LABELS_DIR SPLIT OUT_DIR
  writes OUT_DIR/{none,majority}_{audio,visual}.csv for the videos of SPLIT
  (train | val | test, the split files of LABELS_DIR). Standard library only."""

import csv
import os
import sys
from collections import Counter

SPLITS = {"train": "AVVP_train.csv", "val": "AVVP_val_pd.csv", "test": "AVVP_test_pd.csv"}


def read_weak(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [(r["filename"], [c for c in r["event_labels"].split(",") if c])
                for r in csv.DictReader(f, delimiter="\t")]


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write("filename\tonset\toffset\tevent_labels\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in SPLITS:
        sys.exit(__doc__)
    labels, split, out = sys.argv[1:]
    counts = Counter(c for _, cs in read_weak(os.path.join(labels, SPLITS["train"])) for c in cs)
    top = counts.most_common(1)[0][0]
    videos = [name for name, _ in read_weak(os.path.join(labels, SPLITS[split]))]
    os.makedirs(out, exist_ok=True)
    for m in ("audio", "visual"):
        write(os.path.join(out, "none_%s.csv" % m), [])
        write(os.path.join(out, "majority_%s.csv" % m), [(v, 0, 10, top) for v in videos])
    print("majority class of the training labels: %s (%d of the training videos)" % (top, counts[top]))


if __name__ == "__main__":
    main()
