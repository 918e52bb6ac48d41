#!/usr/bin/env bash
# Builds the optional AVX2 matrix products (lib/native/gemm.cc) into lib/dist/kernels-native.node with the system
# C++ compiler and Node's own headers. Optional: on another CPU, without a compiler or without the headers it says
# so and exits 0, and the engine uses the WebAssembly kernels (the same numbers, slower). RNNLAB_NATIVE=0 at run
# time turns the addon off.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=lib/dist/kernels-native.node
SRC=lib/native/gemm.cc
log() { echo "[native] $*"; }
case "$(uname -m)" in x86_64|amd64) ;; *) log "not an x86-64 CPU: using the WebAssembly kernels"; rm -f "$OUT"; exit 0 ;; esac
CXX=${CXX:-g++}
command -v "$CXX" >/dev/null 2>&1 || CXX=c++
command -v "$CXX" >/dev/null 2>&1 || { log "no C++ compiler: using the WebAssembly kernels"; rm -f "$OUT"; exit 0; }
INCLUDE=$(node -p "require('path').join(process.execPath, '..', '..', 'include', 'node')")
[ -f "$INCLUDE/node_api.h" ] || INCLUDE=$(npm config get nodedir 2>/dev/null)/include/node
[ -f "$INCLUDE/node_api.h" ] || { log "Node's headers (node_api.h) not found: using the WebAssembly kernels"; rm -f "$OUT"; exit 0; }
EXTRA=()
[ "$(uname -s)" = Darwin ] && EXTRA+=(-undefined dynamic_lookup)
mkdir -p lib/dist
# -ffp-contract=off and no -ffast-math: every product and sum rounded on its own, as in the WebAssembly kernels.
if "$CXX" -O3 -std=c++17 -fPIC -shared -fvisibility=hidden -ffp-contract=off -fno-fast-math -Wall -I"$INCLUDE" "${EXTRA[@]}" "$SRC" -o "$OUT.tmp" 2> lib/dist/kernels-native.log; then
  mv -f "$OUT.tmp" "$OUT"
  log "built $OUT"
else
  rm -f "$OUT.tmp" "$OUT"
  log "compile failed (lib/dist/kernels-native.log): using the WebAssembly kernels"
fi
exit 0
