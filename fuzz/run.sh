#!/usr/bin/env bash
# Runs every libFuzzer harness of a fuzz build (see `make fuzz`) for FUZZ_SECONDS each, on
# a fresh corpus seeded from tests/data, resources/llp and fuzz/seeds. Prints per parser the
# executions, coverage (cov: edges, ft: features, from libFuzzer's final status line) and
# findings; reproducers go to <build>/findings/<parser>/, logs to <build>/logs/<parser>.log.
# Exits 1 when any harness found something (crash, ASan/UBSan report, leak, timeout > 10 s,
# more than 2 GB of memory).
#   fuzz/run.sh [build-dir] [seconds] [parser...]
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-${FUZZ_SECONDS:-60}}
shift 2 2>/dev/null || shift $#
PARSERS=("$@")
[ ${#PARSERS[@]} -eq 0 ] && PARSERS=(llp_csv dcase_tsv audacity textgrid elan json_labels npy
                                    pickle encoder_manifest)

# seed <parser> <file>...: copies files into the parser's corpus (unique names).
seed() {
  local dir="$BUILD/corpus/$1"; shift
  local f
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"; done
}

make_corpus() {
  local p=$1 dir="$BUILD/corpus/$1" f
  rm -rf "$dir" && mkdir -p "$dir"
  [ -d "fuzz/seeds/$p" ] && seed "$p" fuzz/seeds/"$p"/*
  case $p in
    llp_csv)  # the head of each bundled LLP file (weak and dense layouts)
      for f in resources/llp/*.csv; do head -n 12 "$f" > "$dir/$(basename "$f")"; done ;;
    dcase_tsv) seed "$p" tests/data/formats/*.tsv ;;
    audacity) seed "$p" tests/data/formats/*.txt ;;
    textgrid) seed "$p" tests/data/formats/*.TextGrid ;;
    elan) seed "$p" tests/data/formats/*.eaf ;;
    json_labels) seed "$p" tests/data/formats/*.json ;;
    npy) seed "$p" $(find tests/data -name '*.npy' -size -16k | sort | head -n 40) ;;
    pickle)  # the pickle program (data.pkl) of each torch.save zip
      for f in tests/data/models/*/state_dict.pt; do
        out="$dir/$(basename "$(dirname "$f")").pkl"
        unzip -p "$f" '*/data.pkl' > "$out" 2>/dev/null ||
          python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.stdout.buffer.write(z.read(next(n for n in z.namelist() if n.endswith("/data.pkl"))))' "$f" > "$out" 2>/dev/null ||
          rm -f "$out"
      done ;;
  esac
}

status=0
printf '%-17s %12s %8s %8s %9s\n' parser executions cov ft findings
for p in "${PARSERS[@]}"; do
  bin="$BUILD/bin/fuzz_$p"
  if [ ! -x "$bin" ]; then echo "fuzz: $bin is missing (build $BUILD first)" >&2; status=1; continue; fi
  make_corpus "$p"
  rm -rf "$BUILD/findings/$p" && mkdir -p "$BUILD/findings/$p" "$BUILD/logs"
  log="$BUILD/logs/$p.log"
  # One process (-jobs=1's single job, in-process), niced: the machine is shared.
  nice -n 10 "$bin" "$BUILD/corpus/$p" -max_total_time="$SECONDS_EACH" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$BUILD/findings/$p/" \
    > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: ' | tail -n 1)
  [ -z "$execs" ] && execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  findings=$(find "$BUILD/findings/$p" -type f | wc -l)
  printf '%-17s %12s %8s %8s %9s\n' "$p" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$findings"
  if [ "$rc" -ne 0 ] || [ "$findings" -ne 0 ]; then
    status=1
    echo "  rc $rc; see $log; reproducers in $BUILD/findings/$p/:" \
         "$(find "$BUILD/findings/$p" -type f -printf '%f ' )"
    grep -m 3 -E 'ERROR: |runtime error|SUMMARY' "$log" | sed 's/^/  /'
  fi
done
exit $status
