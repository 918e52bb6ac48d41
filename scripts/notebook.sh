#!/usr/bin/env bash
# npm run notebook: the notebooks in a real Jupyter front end, on this machine only (127.0.0.1).
#   - the project's tslab kernel (build/jupyter), so `import * as lab from '@rnnlab/lib'` works in every notebook;
#   - classic Notebook (Debian's jupyter-notebook, installed by setup when root), or JupyterLab / Notebook 7 from pip;
#   - --allow-root when run as root (the server refuses to start as root otherwise);
#   - the executed notebooks in results/ are trusted first: Jupyter opens a notebook it did not execute itself as
#     untrusted and leaves every figure blank until it is trusted.
# The scale of a notebook is chosen in its first cell (`lab.setScale('quick')`), or for the server with
# RNNLAB_SCALE=quick npm run notebook. RNNLAB_NOTEBOOK_PORT (default 8888) and RNNLAB_NOTEBOOK_DIR (default: the
# project) set the port and the folder it serves; other arguments go to the server (npm run notebook -- --help).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$(cat build/python-path)
DIR=${RNNLAB_NOTEBOOK_DIR:-$ROOT}
export JUPYTER_PATH="$ROOT/build/jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"

shopt -s nullglob
executed=(results/*.ipynb results/*/*.ipynb)
if [ ${#executed[@]} -gt 0 ]; then
  "$PY" -m nbformat.sign "${executed[@]}" >/dev/null
  echo "[notebook] trusted ${#executed[@]} executed notebook(s) in results/"
fi

args=(--no-browser --ip=127.0.0.1 --port="${RNNLAB_NOTEBOOK_PORT:-8888}")
[ "$(id -u)" = 0 ] && args+=(--allow-root)
if "$PY" -c 'import notebook, sys; sys.exit(0 if int(notebook.__version__.split(".")[0]) < 7 else 1)' 2>/dev/null; then
  app=(-m notebook --notebook-dir="$DIR")          # classic Notebook 6 (Debian)
elif "$PY" -c 'import jupyterlab' 2>/dev/null; then
  app=(-m jupyterlab --ServerApp.root_dir="$DIR")  # JupyterLab (pip)
else
  app=(-m notebook --ServerApp.root_dir="$DIR")    # Notebook 7 (pip)
fi
echo "[notebook] starting Jupyter on 127.0.0.1 (open the URL it prints; notebooks/ holds the notebooks, results/ the executed ones)"
exec "$PY" "${app[@]}" "${args[@]}" "$@"
