#!/usr/bin/env bash
# Prints the path of a virtual environment holding reasoner-validator 7.0.0 (with the
# biolink-model 4.4.6 package, whose yaml its Biolink checks read), made once per version string
# below and reused after that, outside the project (under $TMPDIR). It cannot share kgx's
# environment: reasoner-validator 7.0.0 needs bmt>=1.4.8 and linkml-runtime>=1.11.1, which kgx
# 2.7.0's click<8.2 rules out. Only the package registry is contacted, and only on the first run.
set -eu
pins=(reasoner-validator==7.0.0 biolink-model==4.4.6 "bmt>=1.4.8,<1.5")
py=${RV_PYTHON:-python3}
pyver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
key="rv7.0.0-biolink4.4.6-py$pyver-v1"
root="${TMPDIR:-/tmp}/imidgraph-rv-venv"
venv="$root/$key"
stamp="$venv/.rv-ready"
mkdir -p "$root"
if [ ! -f "$stamp" ]; then
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$root/.lock-$key"
    flock 9
  fi
  if [ ! -f "$stamp" ]; then
    rm -rf "$venv"
    "$py" -m venv "$venv" >&2
    "$venv/bin/pip" install -q --upgrade pip >&2 2>/dev/null || true
    "$venv/bin/pip" install -q "${pins[@]}" >&2
    "$venv/bin/python" -c 'import reasoner_validator, bmt, biolink_model' >&2
    "$venv/bin/pip" freeze > "$venv/freeze.txt"
    touch "$stamp"
  fi
fi
echo "$venv"
