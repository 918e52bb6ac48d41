#!/usr/bin/env bash
# Runs a Python script with the interpreter setup.sh found (the one that has Jupyter).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "$(cat build/python-path)" "$@"
