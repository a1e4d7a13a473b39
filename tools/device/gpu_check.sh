#!/usr/bin/env bash
# The GPU check of issue 20 item 7 as one prepared command for a lent GPU machine (see
# docs/models.md, "On a GPU"): the headless build (core, models, CLI) against the LibTorch
# inside that machine's PyTorch, with CUDA; the headless tests, tst_cuda (every variant's
# forward, loss, gradients and AdamW step on CUDA against the CPU) among them; then
# `avvp bench --device cuda` with the PyTorch reference eager and under torch.compile in
# the same run, forward at batch 1/64/1200 and the training step. Logs and bench.json go
# to $OUT (the device tool brings them back).
#
#   here:  tools/device/prepare_kit.sh
#   there: tools/device/gpu_check.sh      (carry .device-kit; about 6-9 minutes)
#
# Knobs: PY (python3), VARIANTS (valor,link), BATCHES (1,64,1200), ROUNDS (3),
# COMPILE (1: add the torch.compile rows), STAGES (build,test,bench).
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/gpu-check}
mkdir -p "$OUT"
KIT=$PWD/.device-kit
PY=${PY:-python3}
STAGES=${STAGES:-build,test,bench}
JOBS=$(nproc)
t0=$(date +%s)
say() { echo "== +$(($(date +%s) - t0))s $*"; }
has() { [[ ",$STAGES," == *",$1,"* ]]; }

say "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
"$PY" - <<'PY' || { echo "gpu_check: $PY has no torch" >&2; exit 2; }
import torch
print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(),
      "cxx11 abi", torch.compiled_with_cxx11_abi())
PY

if has build; then
  [ -d "$KIT/googletest" ] || { echo "gpu_check: no .device-kit (run tools/device/prepare_kit.sh here and carry .device-kit)" >&2; exit 2; }
  say "GoogleTest from the kit"
  if [ ! -f /tmp/gtest/lib/cmake/GTest/GTestConfig.cmake ] && [ ! -f /tmp/gtest/lib64/cmake/GTest/GTestConfig.cmake ]; then
    abi=$("$PY" -c 'import torch; print(int(torch.compiled_with_cxx11_abi()))')
    cmake -S "$KIT/googletest" -B /tmp/gtest-build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX=/tmp/gtest -DCMAKE_CXX_FLAGS="-D_GLIBCXX_USE_CXX11_ABI=$abi" >"$OUT/gtest.log" 2>&1 &&
      cmake --build /tmp/gtest-build -j"$JOBS" >>"$OUT/gtest.log" 2>&1 &&
      cmake --install /tmp/gtest-build >>"$OUT/gtest.log" 2>&1 || { tail -20 "$OUT/gtest.log"; exit 3; }
  fi
  say "configure (headless, the LibTorch of $PY)"
  prefix=$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)')
  extra=()
  cudnn=$("$PY" -c 'import nvidia.cudnn as c; print(list(c.__path__)[0])' 2>/dev/null || true)
  if [ -n "$cudnn" ] && [ -d "$cudnn/include" ]; then
    lib=$(ls "$cudnn"/lib/libcudnn.so* 2>/dev/null | head -1)
    extra+=("-DCUDNN_INCLUDE_PATH=$cudnn/include" "-DCUDNN_LIBRARY_PATH=$lib")
  fi
  [ -d /usr/local/cuda ] && extra+=("-DCUDAToolkit_ROOT=/usr/local/cuda")
  cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DAVVP_HEADLESS=ON \
    -DAVVP_BUILD_BENCH=OFF -DCMAKE_PREFIX_PATH="$prefix;/tmp/gtest;$KIT/prefix" \
    -DTORCH_CUDA_ARCH_LIST=9.0 "${extra[@]}" >"$OUT/configure.log" 2>&1 ||
    { tail -40 "$OUT/configure.log"; exit 4; }
  grep -iE "cuda|cudnn|torch" "$OUT/configure.log" | head -15
  say "build (-j$JOBS)"
  cmake --build build-cuda -j"$JOBS" >"$OUT/build.log" 2>&1 ||
    { grep -E "error|FAILED" "$OUT/build.log" | head -30; exit 5; }
fi

if has test; then
  say "tests"
  (cd build-cuda && ctest -j8 --timeout 300 --output-on-failure) >"$OUT/ctest.log" 2>&1
  tail -15 "$OUT/ctest.log"
  say "tst_cuda"
  build-cuda/bin/tst_cuda 2>&1 | tee "$OUT/tst_cuda.log" | grep -E "OK|FAILED|SKIPPED|Failure|Expected|Which is|PASSED" | head -40
fi

if has bench; then
  say "avvp bench --device cuda"
  compile=()
  [ "${COMPILE:-1}" = "1" ] && compile=(--pytorch-compile)
  build-cuda/bin/avvp bench --device cuda --variants "${VARIANTS:-valor,link}" \
    --batches "${BATCHES:-1,64,1200}" --rounds "${ROUNDS:-3}" --literal-max-batch 1200 \
    --python "$(command -v "$PY")" "${compile[@]}" --json "$OUT/bench.json" --quiet 2>&1 |
    tee "$OUT/bench.txt"
fi
say "done"
