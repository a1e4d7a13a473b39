#!/usr/bin/env bash
# Gathers, on this Debian machine, what the headless CUDA build needs and a GPU machine may
# lack (its image has CUDA, PyTorch with its LibTorch, CMake and ninja, but neither
# GoogleTest nor nlohmann-json): .device-kit/googletest (the sources Debian ships) and
# .device-kit/prefix (nlohmann-json's headers and CMake files). About 5 MB; .gitignore
# ignores it, so name it in the device tool's `carry`. Then run tools/device/gpu_check.sh
# there (see that script).
set -euo pipefail
cd "$(dirname "$0")/../.."
kit=.device-kit
rm -rf "$kit"
mkdir -p "$kit/prefix/include" "$kit/prefix/share/cmake"
[ -f /usr/src/googletest/CMakeLists.txt ] || { echo "prepare_kit: /usr/src/googletest missing (apt-get install googletest)" >&2; exit 1; }
[ -d /usr/share/cmake/nlohmann_json ] || { echo "prepare_kit: nlohmann-json3-dev missing" >&2; exit 1; }
cp -r /usr/src/googletest "$kit/googletest"
cp -r /usr/include/nlohmann "$kit/prefix/include/"
cp -r /usr/share/cmake/nlohmann_json "$kit/prefix/share/cmake/"
du -sh "$kit"
