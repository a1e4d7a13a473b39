#!/usr/bin/env bash
# The Debian package end to end (CTest test `package`, label package): cpack -G DEB into a
# temporary folder, dpkg-deb -x, then the layout (no library in usr/bin, the libraries and
# the CLI's plugins in usr/lib/<multiarch>/avvp-studio, man pages, copyright, changelog),
# stripped binaries, ldd with nothing "not found", both programs started from the
# extracted tree (avvp loading a plugin), and lintian without errors when it is installed.
# Usage: test_package.sh <build dir> <pkglibdir relative to the prefix>
# Exit 77 (skipped) where dpkg-deb is missing (not a Debian system).
set -uo pipefail

build=$1
pkglibdir=$2
command -v dpkg-deb >/dev/null || { echo "SKIP: dpkg-deb not installed"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/avvp-package.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# The build tree's libraries must not be what the extracted programs find.
unset LD_LIBRARY_PATH

start=$(date +%s)
if ! (cd "$tmp" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1); then
  cat "$tmp/cpack.log"
  echo "FAIL: cpack -G DEB"
  exit 1
fi
echo "cpack -G DEB: $(($(date +%s) - start)) s"
deb=$(ls "$tmp"/out/*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || { echo "FAIL: no .deb in $tmp/out"; exit 1; }
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
root=$tmp/root
dpkg-deb -x "$deb" "$root" || { echo "FAIL: dpkg-deb -x"; exit 1; }

# Control fields: a well-formed contact, an extended description, a libc dependency.
control=$(dpkg-deb -f "$deb")
grep -Eq '^Maintainer: .+ <[^>]+@[^>]+>$' <<<"$control" && ok "Maintainer" ||
  fail "Maintainer is not 'Name <email>'"
grep -Eq '^Depends:.*\blibc6\b' <<<"$control" && ok "Depends: libc6" || fail "no libc6 in Depends"
[ "$(sed -n '/^Description:/,$p' <<<"$control" | grep -c '^ ')" -ge 2 ] && ok "extended description" ||
  fail "no extended description"

# Layout.
libs=$(find "$root/usr/bin" -name '*.so*' 2>/dev/null)
[ -z "$libs" ] && ok "no library in usr/bin" || fail "libraries in usr/bin: $libs"
case "$pkglibdir" in
  lib/*-*/avvp-studio) ok "multiarch library folder $pkglibdir" ;;
  *) fail "library folder $pkglibdir is not lib/<multiarch>/avvp-studio" ;;
esac
if command -v dpkg-architecture >/dev/null; then
  multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
  [ "$pkglibdir" = "lib/$multiarch/avvp-studio" ] || fail "$pkglibdir is not lib/$multiarch/avvp-studio"
fi
for f in avvp avvp-studio; do
  [ -x "$root/usr/bin/$f" ] && ok "usr/bin/$f" || fail "usr/bin/$f missing"
done
for f in libavvp_models.so libavvp_models_cli.so libavvp_media_cli.so libavvp_features_cli.so \
         libavvp_store_cli.so libavvp_workspace_cli.so; do
  [ -f "$root/usr/$pkglibdir/$f" ] && ok "usr/$pkglibdir/$f" || fail "usr/$pkglibdir/$f missing"
done
for f in avvp avvp-studio; do
  man=$root/usr/share/man/man1/$f.1.gz
  if [ -f "$man" ] && gzip -t "$man" && zcat "$man" | grep -q '^\.TH'; then ok "man page $f.1.gz"
  else fail "no man page usr/share/man/man1/$f.1.gz"; fi
done
doc=$root/usr/share/doc/avvp-studio
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
  "$doc/copyright" 2>/dev/null && ok "copyright" || fail "no machine-readable $doc/copyright"
gzip -t "$doc/changelog.Debian.gz" 2>/dev/null && ok "changelog.Debian.gz" ||
  fail "no changelog.Debian.gz"

# Stripped binaries with an $ORIGIN-relative RUNPATH, and ldd resolving everything.
elfs=("$root"/usr/bin/avvp "$root"/usr/bin/avvp-studio "$root/usr/$pkglibdir"/*.so)
for e in "${elfs[@]}"; do
  [ -f "$e" ] || continue
  if readelf -S "$e" | grep -Eq '\.(symtab|debug_info)\b'; then fail "not stripped: ${e#$root}"; fi
  if readelf -d "$e" | grep -E 'R(UN)?PATH' | grep -q "$build"; then
    fail "build-tree RUNPATH in ${e#$root}"
  fi
  missing=$(ldd "$e" 2>&1 | grep 'not found')
  [ -z "$missing" ] || fail "ldd ${e#$root}: $missing"
done
[ $failures -eq 0 ] && ok "stripped, ldd finds every library of ${#elfs[@]} ELF files"

# Both programs start from the extracted tree.
export QT_QPA_PLATFORM=offscreen HOME=$tmp/home XDG_DATA_HOME=$tmp/home/data
mkdir -p "$HOME"
"$root/usr/bin/avvp" --help >"$tmp/out.txt" 2>&1 && grep -q '^usage: avvp' "$tmp/out.txt" &&
  ok "avvp --help" || { cat "$tmp/out.txt"; fail "avvp --help"; }
# `avvp info` opens the models plugin (and through it libavvp_models.so and LibTorch).
"$root/usr/bin/avvp" info >"$tmp/out.txt" 2>&1 && grep -qi 'libtorch' "$tmp/out.txt" &&
  ok "avvp info (models plugin)" || { cat "$tmp/out.txt"; fail "avvp info"; }
# `avvp synth --render` runs in the FFmpeg plugin; `avvp probe` reads what it wrote.
if "$root/usr/bin/avvp" synth --out "$tmp/synth" --videos 3 --render --no-encoders --quiet \
     >"$tmp/out.txt" 2>&1 &&
   "$root/usr/bin/avvp" probe "$tmp/synth/videos/synth000000.mp4" >>"$tmp/out.txt" 2>&1 &&
   grep -q 'duration: 10.000 s' "$tmp/out.txt"; then
  ok "avvp synth --render, avvp probe (media plugin)"
else cat "$tmp/out.txt"; fail "avvp synth --render / probe"; fi
# `avvp store --help` is answered by the Qt Sql plugin.
"$root/usr/bin/avvp" store --help >"$tmp/out.txt" 2>&1
if grep -q 'cannot load' "$tmp/out.txt"; then cat "$tmp/out.txt"; fail "avvp store plugin"; else
  ok "avvp store --help (store plugin)"; fi
"$root/usr/bin/avvp-studio" --version >"$tmp/out.txt" 2>&1 && grep -q 'AVVP Studio' "$tmp/out.txt" &&
  ok "avvp-studio --version" || { cat "$tmp/out.txt"; fail "avvp-studio --version"; }

# lintian: errors fail the test, warnings are listed.
if command -v lintian >/dev/null; then
  lintian --allow-root --tag-display-limit 0 "$deb" >"$tmp/lintian.txt" 2>&1
  cat "$tmp/lintian.txt"
  if grep -q '^E:' "$tmp/lintian.txt"; then fail "lintian errors"; else
    ok "lintian: no errors ($(grep -c '^W:' "$tmp/lintian.txt") warnings)"; fi
else
  echo "lintian not installed: skipped (tools/install-deps.sh installs it)"
fi

echo "total: $(($(date +%s) - start)) s, $failures failure(s)"
[ $failures -eq 0 ]
