#!/usr/bin/env python3
"""An independent AVVP scorer (standard library only), the oracle of the C++ tests.

Written from docs/evaluation.md and laid out like the public reference implementation
(YapengTian/AVVP-ECCV20, main_avvp.py + utils/eval_metrics.py), deliberately naive:

* per video, 25 x 10 lists of 0/1 filled from every CSV row whose filename equals the
  video name (like `df.loc[df['filename'] == name]`), with Python slice assignment
  `grid[c][onset:offset] = 1`, which behaves as the reference's numpy slice does
  (an empty or reversed range sets nothing);
* the audio-visual grids are audio * visual, for prediction and ground truth;
* segment level: per class TP / FP / FN over the 10 cells;
* event level: events are maximal runs, each a 10-long 0/1 vector (`to_vec`); a
  predicted event is a TP when sum(x1*x2) >= 0.5 * sum(x1 + x2 - x1*x2) for at least
  one GT event, else an FP; an unmatched GT event is an FN;
* per video F: mean over active classes (TP+FP > 0 or TP+FN > 0) of 2TP/(2TP+FN+FP),
  1.0 when no class is active; Event@AV from the audio + visual pooled counts;
* dataset score: 100 x the mean over every video of the split, in file order;
  Type@AV = (A + V + AV) / 3.

Usage:
  reference_eval.py --split S --gt-audio GA --gt-visual GV --pred-audio PA --pred-visual PV
      prints the two TSV lines of `avvp eval --format tsv`.
  reference_eval.py --random-preds OUTDIR --seed N [--split S --gt-audio GA --gt-visual GV]
      writes OUTDIR/pred_audio.csv and OUTDIR/pred_visual.csv (see make_random_preds.py).

--split takes a weak-label file or train|val|test (the file in --llp, which defaults to
the repository's resources/llp); --gt-audio / --gt-visual default to the --llp files.
"""

import argparse
import os
import sys

CLASSES = [
    "Speech", "Car", "Cheering", "Dog", "Cat", "Frying_(food)", "Basketball_bounce",
    "Fire_alarm", "Chainsaw", "Cello", "Banjo", "Singing", "Chicken_rooster",
    "Violin_fiddle", "Vacuum_cleaner", "Baby_laughter", "Accordion", "Lawn_mower",
    "Motorcycle", "Helicopter", "Acoustic_guitar", "Telephone_bell_ringing",
    "Baby_cry_infant_cry", "Blender", "Clapping",
]
ID_TO_IDX = {name: i for i, name in enumerate(CLASSES)}
N_CLASSES = 25
T = 10

HEADER = ["seg_a", "seg_v", "seg_av", "seg_type", "seg_event",
          "evt_a", "evt_v", "evt_av", "evt_type", "evt_event"]

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LLP = os.path.join(os.path.dirname(HERE), "resources", "llp")
SPLIT_FILES = {"train": "AVVP_train.csv", "val": "AVVP_val_pd.csv", "test": "AVVP_test_pd.csv"}


# ----------------------------------------------------------------------------- reading
def read_table(path):
    """A tab-separated file with a header line -> list of dicts (column name -> text)."""
    with open(path, "r", encoding="utf-8-sig", newline="") as f:
        text = f.read()
    lines = text.split("\n")
    header = [h.strip().strip('"') for h in lines[0].rstrip("\r").split("\t")]
    rows = []
    for line in lines[1:]:
        line = line.rstrip("\r")
        if line.strip(" \t") == "":
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise SystemExit("%s: bad row %r" % (path, line))
        rows.append(dict(zip(header, fields)))
    return rows


def to_int_seconds(text):
    # The reference reads the column with pandas and calls int(); "3" and "3.0" give 3.
    value = float(text)
    if value != int(value):
        raise SystemExit("not an integer number of seconds: %r" % text)
    return int(value)


class DenseTable:
    """The rows of a dense file, looked up the way df.loc[df['filename'] == name] does."""

    def __init__(self, path):
        self.rows = []
        for r in read_table(path):
            self.rows.append((r["filename"], to_int_seconds(r["onset"]),
                              to_int_seconds(r["offset"]), r["event_labels"]))
        # Same result as the linear filter, without scanning every row per video.
        self.by_name = {}
        for row in self.rows:
            self.by_name.setdefault(row[0], []).append(row)

    def loc(self, name):
        return self.by_name.get(name, [])


def grid_from_rows(rows):
    grid = [[0] * T for _ in range(N_CLASSES)]
    for _, onset, offset, label in rows:
        idx = ID_TO_IDX[label]
        seg = grid[idx]
        n = len(seg[onset:offset])  # numpy slice semantics: empty when reversed
        seg[onset:offset] = [1] * n
    return grid


def multiply(a, b):
    return [[x * y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


# ----------------------------------------------------------------------------- metrics
def to_vec(start, end):
    x = [0] * T
    for i in range(start, end):
        x[i] = 1
    return x


def extract_event(seq):
    """Maximal runs of ones, each as a 10-long vector."""
    events = []
    i = 0
    while i < T:
        if seq[i] == 1:
            start = i
            while i < T and seq[i] == 1:
                i += 1
            events.append(to_vec(start, i))
        else:
            i += 1
    return events


def iou_at_least_half(x1, x2):
    """Events as 0/1 vectors: intersection >= 0.5 * union (exactly 0.5 passes)."""
    inter = sum(a * b for a, b in zip(x1, x2))
    union = sum(a + b - a * b for a, b in zip(x1, x2))
    return inter >= 0.5 * union


def event_wise_metric(event_p, event_gt):
    tp = fp = fn = 0
    for x1 in event_p:
        if any(iou_at_least_half(x1, x2) for x2 in event_gt):
            tp += 1
        else:
            fp += 1
    for x1 in event_gt:
        if not any(iou_at_least_half(x1, x2) for x2 in event_p):
            fn += 1
    return tp, fp, fn


def segment_counts(pred, gt):
    tp = [sum(p * g for p, g in zip(pred[c], gt[c])) for c in range(N_CLASSES)]
    fp = [sum(p * (1 - g) for p, g in zip(pred[c], gt[c])) for c in range(N_CLASSES)]
    fn = [sum((1 - p) * g for p, g in zip(pred[c], gt[c])) for c in range(N_CLASSES)]
    return tp, fp, fn


def event_counts(pred, gt):
    tp, fp, fn = [0] * N_CLASSES, [0] * N_CLASSES, [0] * N_CLASSES
    for c in range(N_CLASSES):
        tp[c], fp[c], fn[c] = event_wise_metric(extract_event(pred[c]), extract_event(gt[c]))
    return tp, fp, fn


def video_f(tp, fp, fn):
    scores = []
    for c in range(len(tp)):
        if tp[c] + fp[c] != 0 or tp[c] + fn[c] != 0:
            scores.append(2 * tp[c] / (2 * tp[c] + fn[c] + fp[c]))
    if len(scores) == 0:
        return 1.0  # all true negatives
    return sum(scores) / len(scores)


def level(counts_fn, so_a, so_v, so_av, gt_a, gt_v, gt_av):
    tp_a, fp_a, fn_a = counts_fn(so_a, gt_a)
    tp_v, fp_v, fn_v = counts_fn(so_v, gt_v)
    tp_av, fp_av, fn_av = counts_fn(so_av, gt_av)
    f_a = video_f(tp_a, fp_a, fn_a)
    f_v = video_f(tp_v, fp_v, fn_v)
    f_av = video_f(tp_av, fp_av, fn_av)
    tp = [x + y for x, y in zip(tp_a, tp_v)]
    fp = [x + y for x, y in zip(fp_a, fp_v)]
    fn = [x + y for x, y in zip(fn_a, fn_v)]
    f = video_f(tp, fp, fn)
    return f_a, f_v, f_av, f


def mean(values):
    return sum(values) / len(values)


def evaluate(videos, pred_a, pred_v, gt_a, gt_v):
    seg = {"a": [], "v": [], "av": [], "event": []}
    evt = {"a": [], "v": [], "av": [], "event": []}
    for name in videos:
        so_a = grid_from_rows(pred_a.loc(name))
        so_v = grid_from_rows(pred_v.loc(name))
        g_a = grid_from_rows(gt_a.loc(name))
        g_v = grid_from_rows(gt_v.loc(name))
        so_av = multiply(so_a, so_v)
        g_av = multiply(g_a, g_v)
        for out, fn in ((seg, segment_counts), (evt, event_counts)):
            f_a, f_v, f_av, f = level(fn, so_a, so_v, so_av, g_a, g_v, g_av)
            out["a"].append(f_a)
            out["v"].append(f_v)
            out["av"].append(f_av)
            out["event"].append(f)
    values = []
    for out in (seg, evt):
        a = 100 * mean(out["a"])
        v = 100 * mean(out["v"])
        av = 100 * mean(out["av"])
        values += [a, v, av, (a + v + av) / 3.0, 100 * mean(out["event"])]
    return values


def split_videos(path):
    return [r["filename"] for r in read_table(path)]


def resolve_split(split, llp):
    if split in SPLIT_FILES:
        return os.path.join(llp, SPLIT_FILES[split])
    return split


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="test")
    ap.add_argument("--llp", default=DEFAULT_LLP)
    ap.add_argument("--gt-audio")
    ap.add_argument("--gt-visual")
    ap.add_argument("--pred-audio")
    ap.add_argument("--pred-visual")
    ap.add_argument("--random-preds", metavar="OUTDIR")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    split = resolve_split(args.split, args.llp)
    gt_audio = args.gt_audio or os.path.join(args.llp, "AVVP_eval_audio.csv")
    gt_visual = args.gt_visual or os.path.join(args.llp, "AVVP_eval_visual.csv")

    if args.random_preds:
        sys.path.insert(0, HERE)
        import make_random_preds
        make_random_preds.generate(split, gt_audio, gt_visual, args.random_preds, args.seed,
                                   args.llp)
        return 0

    if not args.pred_audio or not args.pred_visual:
        ap.error("--pred-audio and --pred-visual are required")
    videos = split_videos(split)
    values = evaluate(videos, DenseTable(args.pred_audio), DenseTable(args.pred_visual),
                      DenseTable(gt_audio), DenseTable(gt_visual))
    sys.stdout.write("\t".join(HEADER) + "\n")
    sys.stdout.write("\t".join("%.6f" % v for v in values) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
