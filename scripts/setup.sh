#!/usr/bin/env bash
# One idempotent setup, run first by both README commands:
#   1. Jupyter (nbclient, nbconvert, ipykernel): Debian packages when root on Debian/Ubuntu, otherwise an
#      existing installation (see environment.md); with --with-browser also Debian's chromium for the browser test,
#      with --with-notebook the classic Notebook front end (npm run notebook; Debian's jupyter-notebook);
#   2. npm dependencies from the lock file (only when the lock file changed);
#   3. the library build (incremental tsc: a no-op when nothing changed; the WebAssembly kernels and, on x86-64 with
#      a C++ compiler, the optional AVX2 matrix products, each rebuilt only when its source changed);
#   4. the tslab kernelspec in a project-local Jupyter path, build/jupyter/share/jupyter, pointing at this
#      project's node_modules/.bin/tslab. Nothing is written outside the project except system packages.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WITH_BROWSER=0
WITH_NOTEBOOK=0
WITH_SLURM=0
LIBRARY_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) WITH_BROWSER=1 ;;
    --with-notebook) WITH_NOTEBOOK=1 ;;
    --with-slurm) WITH_SLURM=1 ;;
    --library-only) LIBRARY_ONLY=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
log() { echo "[setup] $*"; }

find_python() {
  local cand
  for cand in "${RNNLAB_PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$cand" ] || continue
    if command -v "$cand" >/dev/null 2>&1 &&
      "$cand" -c 'import nbclient, nbconvert, nbformat, ipykernel, jupyter_client' >/dev/null 2>&1; then
      command -v "$cand"
      return 0
    fi
  done
  return 1
}

# 1. System packages.
if [ "$LIBRARY_ONLY" = 0 ]; then
PY=$(find_python || true)
missing=()
[ -n "$PY" ] || missing+=(jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client)
# (The exported pages need no system JavaScript packages: their plotly.js and MathJax come from npm.)
can_apt=0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then can_apt=1; fi
if [ "$WITH_BROWSER" = 1 ] && ! command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1; then missing+=(chromium); fi
# A front end: classic Notebook, or JupyterLab / Notebook 7 from pip (environment.md).
has_front_end() { [ -n "$PY" ] && "$PY" -c 'import importlib.util as u, sys; sys.exit(0 if u.find_spec("notebook") or u.find_spec("jupyterlab") else 1)' 2>/dev/null; }
if [ "$WITH_NOTEBOOK" = 1 ] && ! has_front_end; then missing+=(jupyter-notebook); fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$can_apt" = 1 ]; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    PY=$(find_python || true)
  else
    echo "setup: missing ${missing[*]}." >&2
    echo "  Not root on Debian/Ubuntu, so setup will not install system packages itself." >&2
    echo "  Install Jupyter with pip (pip install jupyterlab nbclient nbconvert) or your package manager," >&2
    echo "  as described in environment.md, then run this command again." >&2
    exit 1
  fi
fi
[ -n "$PY" ] || { echo "setup: no python3 can import nbclient, nbconvert and ipykernel (see environment.md)" >&2; exit 1; }
if [ "$WITH_SLURM" = 1 ]; then bash scripts/slurm-local.sh install || log "Slurm not installed: the Slurm tests will be skipped"; fi
fi

# 2. npm dependencies, reinstalled only when package-lock.json changed.
lock_sum=$(node -e "process.stdout.write(require('crypto').createHash('sha256').update(require('fs').readFileSync('package-lock.json')).digest('hex'))")
if [ ! -f node_modules/.rnnlab-lock ] || [ "$(cat node_modules/.rnnlab-lock)" != "$lock_sum" ]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.rnnlab-lock
fi

# 3. Library build (incremental): the WebAssembly kernels (AssemblyScript, only when their source is newer), the
#    optional native matrix products (g++, likewise) and tsc.
mkdir -p lib/dist
if [ ! -f lib/dist/kernels.wasm ] || [ lib/assembly/kernels.ts -nt lib/dist/kernels.wasm ]; then
  log "compiling the WebAssembly SIMD kernels (lib/assembly -> lib/dist/kernels.wasm)"
  node_modules/.bin/asc lib/assembly/kernels.ts -O3 --enable simd --runtime stub --importMemory --noExportMemory -o lib/dist/kernels.wasm
fi
# The optional AVX2 matrix products (the same numbers, ~2x faster; skipped with a note where they cannot be built).
if [ ! -f lib/dist/kernels-native.node ] || [ lib/native/gemm.cc -nt lib/dist/kernels-native.node ] || [ scripts/build-native.sh -nt lib/dist/kernels-native.node ]; then
  log "compiling the AVX2 matrix products (lib/native -> lib/dist/kernels-native.node)"
  bash scripts/build-native.sh
fi
node_modules/.bin/tsc -p lib

if [ "$LIBRARY_ONLY" = 1 ]; then log "ready (library only)"; exit 0; fi

# 4. Project-local tslab kernelspec.
mkdir -p build
KERNEL_JSON=build/jupyter/share/jupyter/kernels/tslab/kernel.json
TSLAB_BIN="$ROOT/node_modules/.bin/tslab"
if [ ! -f "$KERNEL_JSON" ] || ! grep -qF "\"$TSLAB_BIN\"" "$KERNEL_JSON"; then
  log "registering the tslab kernelspec in build/jupyter"
  "$TSLAB_BIN" install --python="$PY" --binary="$TSLAB_BIN" --prefix="$ROOT/build/jupyter" >/dev/null
fi
if [ ! -f build/python-path ] || [ "$(cat build/python-path)" != "$PY" ]; then echo "$PY" > build/python-path; fi
log "ready (python: $PY, kernelspec: build/jupyter)"
