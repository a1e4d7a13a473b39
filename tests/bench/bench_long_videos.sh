#!/usr/bin/env bash
# avvp_bench_long: videos of any length end to end, on this machine's CPU, with no downloads.
#
#   tests/bench/bench_long_videos.sh [WORK_DIR]     (make bench-long; AVVP=path/to/avvp)
#
# 1. a SYNTHETIC training set (`avvp synth`, seed 1) and its stand-in encoders;
# 2. the demo model's recipe trained on it (LINK, TSAM + CMIM + S-LOSS, no PLSIM, no motion);
# 3. 20 rendered SYNTHETIC videos of 30-120 s with events at real times, not aligned
#    (`avvp synth --render --seconds 30-120`), their features extracted by the stand-in
#    encoders, the model run window by window (`avvp infer`), the events imported into a
#    label store beside their rendered ground truth and scored (`avvp eval --store`, each
#    video over its own segments);
# 4. the same model on 10 s clips of the same generator: (a) the held-out test clips' own
#    generator features, (b) rendered 10 s clips through the same encoders.
# Prints the timings (feature extraction and inference per minute of video) and the scores.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/../.." && pwd)"
AVVP="${AVVP:-$HERE/build/bin/avvp}"
WORK="${1:-$(mktemp -d /tmp/avvp-bench-long.XXXXXX)}"
THREADS="${THREADS:-2}"
LONG_VIDEOS="${LONG_VIDEOS:-20}"
LONG_SECONDS="${LONG_SECONDS:-30-120}"
CLIPS="${CLIPS:-300}"
MISALIGNED="${MISALIGNED:-0.5}"
mkdir -p "$WORK"
cd "$WORK"
log() { printf '%s\n' "$*" >&2; }
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
type_av() {  # segment-level Type@AV of `avvp eval --format json` on stdin
    python3 -c 'import json, sys; print("%.2f" % json.load(sys.stdin)["segment"]["type_av"])'
}

log "work folder: $WORK"
if [ ! -f data/encoders/manifest.json ]; then
    log "[1/6] SYNTHETIC training data (500 videos, seed 1) and stand-in encoders"
    rm -rf data && "$AVVP" synth --out data --videos 500 --seed 1 --quiet >/dev/null
fi
CKPT="${CHECKPOINT:-model/best.ckpt}"
if [ ! -f "$CKPT" ]; then
    log "[2/6] training the demo model's recipe (20 epochs)"
    rm -rf model
    "$AVVP" train --variant link --no-plsim --no-motion --hidden 64 --layers 2 --heads 4 \
        --ff 128 --epochs 20 --batch 16 --lr 1e-3 --lr-min 1e-5 --warmup 2 --seed 1 \
        --device cpu --threads "$THREADS" --features data/features --labels data/labels \
        --out model --quiet >model.log
fi

log "[3/6] $LONG_VIDEOS rendered videos of $LONG_SECONDS s"
rm -rf long long-feats long-pred long.avvpstore
t0=$(now)
"$AVVP" synth --out long --videos "$LONG_VIDEOS" --seed 11 --misaligned "$MISALIGNED" --render \
    --seconds "$LONG_SECONDS" --no-encoders --quiet >/dev/null
t1=$(now)
minutes=$(python3 -c "import json; d=json.load(open('long/videos/labels.json')); print(sum(v['duration'] for v in d['videos'])/60)")
log "[4/6] features (stand-in encoders), inference, scoring of the long videos"
t2=$(now)
"$AVVP" features --encoders data/encoders --videos long/videos --out long-feats --device cpu \
    --quiet >long-features.log
t3=$(now)
"$AVVP" infer --checkpoint "$CKPT" --features long-feats --out long-pred --device cpu \
    --threads "$THREADS" --quiet >long-infer.log
t4=$(now)
"$AVVP" import --store long.avvpstore --add-videos --format json long/videos/labels.json --quiet
"$AVVP" import --store long.avvpstore --format dcase --as prediction --run model \
    long-pred/pred_audio.tsv long-pred/pred_visual.tsv --quiet
long_json=$("$AVVP" eval --store long.avvpstore --run model --split all --format json)
long_av=$(printf '%s' "$long_json" | type_av)

log "[5/6] the same model on the held-out 10 s test clips' generator features"
rm -rf clip-gen-pred
"$AVVP" infer --checkpoint "$CKPT" --features data/features --labels data/labels --split test \
    --out clip-gen-pred --device cpu --threads "$THREADS" --quiet >/dev/null
gen_av=$("$AVVP" eval --split test --llp data/labels --pred-audio clip-gen-pred/pred_audio.csv \
    --pred-visual clip-gen-pred/pred_visual.csv --format json | type_av)

log "[6/6] the same model on $CLIPS rendered 10 s clips (test split) through the encoders"
rm -rf clips clip-feats clip-pred
"$AVVP" synth --out clips --videos "$CLIPS" --seed 12 --misaligned "$MISALIGNED" --render --no-encoders \
    --quiet >/dev/null
"$AVVP" features --encoders data/encoders --videos clips/videos --out clip-feats --device cpu \
    --quiet >/dev/null
"$AVVP" infer --checkpoint "$CKPT" --features clip-feats --labels clips/labels --split test \
    --out clip-pred --device cpu --threads "$THREADS" --quiet >/dev/null
clip_av=$("$AVVP" eval --split test --llp clips/labels --pred-audio clip-pred/pred_audio.csv \
    --pred-visual clip-pred/pred_visual.csv --format json | type_av)
clip_n=$(($(wc -l <clips/labels/AVVP_test_pd.csv) - 1))

render_s=$(secs "$t0" "$t1")
feat_s=$(secs "$t2" "$t3")
infer_s=$(secs "$t3" "$t4")
python3 - "$minutes" "$render_s" "$feat_s" "$infer_s" "$long_av" "$gen_av" "$clip_av" \
    "$LONG_VIDEOS" "$LONG_SECONDS" "$clip_n" "$THREADS" <<'PY'
import sys
m, render, feat, infer, long_av, gen_av, clip_av = map(float, sys.argv[1:8])
n, span, clips, threads = sys.argv[8], sys.argv[9], sys.argv[10], sys.argv[11]
print(f"avvp_bench_long: {n} SYNTHETIC videos of {span} s ({m:.1f} min of video), CPU, {threads} threads")
print()
print("| step | seconds | per minute of video |")
print("|---|---|---|")
print(f"| render (avvp synth --render) | {render:.1f} | {render / m:.2f} s |")
print(f"| feature extraction (stand-in encoders, whole process) | {feat:.1f} | {feat / m:.2f} s |")
print(f"| inference (avvp infer, windowed, whole process) | {infer:.1f} | {infer / m:.2f} s |")
print()
print("| the same model on | segment Type@AV |")
print("|---|---|")
print(f"| {n} rendered videos of {span} s, events at real times (stand-in encoders) | {long_av:.2f} |")
print(f"| {clips} rendered 10 s test clips (stand-in encoders) | {clip_av:.2f} |")
print(f"| the held-out 10 s test clips' generator features | {gen_av:.2f} |")
print()
print(f"long minus rendered clips: {long_av - clip_av:+.2f} points")
PY
