#!/usr/bin/env bash
# Takes a real screenshot of avvp-studio under Xvfb (X server framebuffer, imagemagick's
# `import`), for the README and for looking at what we build.
#   tools/screenshot.sh OUT.png [avvp-studio options...]
set -euo pipefail
out=${1:?usage: tools/screenshot.sh OUT.png [avvp-studio options]}
shift
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${AVVP_STUDIO:-$here/build/bin/avvp-studio}
xvfb-run -a -s "-screen 0 1280x820x24" bash -c '
  "$0" "${@:2}" & pid=$!
  sleep "${AVVP_SHOT_DELAY:-3}"
  import -window root "$1"
  kill $pid; wait $pid 2>/dev/null || true
' "$bin" "$out" "$@"
echo "wrote $out"
