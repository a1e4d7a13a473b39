#!/usr/bin/env bash
# Installs the Debian 12 packages AVVP Studio builds and runs with. Idempotent: when
# every package is already present it only runs dpkg-query and returns in well under a
# second. Set AVVP_SKIP_DEPS=1 to skip it (e.g. on a machine you manage yourself).
set -euo pipefail

[ "${AVVP_SKIP_DEPS:-0}" = "1" ] && exit 0

PACKAGES=(
  cmake ninja-build g++ make pkg-config git clang-format
  qt6-base-dev qt6-base-dev-tools qt6-multimedia-dev qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools qt6-qpa-plugins qt6-translations-l10n libqt6sql6-sqlite qt6-svg-dev
  libgl-dev libtorch-dev libopenblas0-openmp libqcustomplot-dev
  libavformat-dev libavcodec-dev libswscale-dev libswresample-dev libavutil-dev
  libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  libpugixml-dev praat clang libclang-rt-14-dev lintian
  postgresql libqt6sql6-psql librubberband-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-libav
  xvfb xauth x11-apps imagemagick fonts-dejavu-core fonts-noto-cjk ffmpeg
)

# One dpkg-query for all packages; a package it doesn't list as installed is missing.
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null |
            awk '$2=="install" && $3=="ok" && $4=="installed" {print $1}' || true)
missing=()
for p in "${PACKAGES[@]}"; do
  grep -qx -- "$p" <<<"$installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
