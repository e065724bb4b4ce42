#!/usr/bin/env bash
# Runs the install steps of docker/Dockerfile outside Docker, for machines
# without a Docker engine (CI): the build stage's commands, then the run
# stage's as an unprivileged user would, with HOME a temporary folder, then
# starts the kernel from the installed kernelspec and executes one tutorial
# notebook with nbclient (jupyter nbconvert --execute), as JupyterLab would.
#
# The lines marked "# Dockerfile" are the Dockerfile's RUN lines, verbatim;
# tests/test_docker.py checks that they stay so.
#
#   docker/verify.sh [NOTEBOOK]    (default: lesson_transformations)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
notebook="${1:-lesson_transformations}"
PY="${PY:-/usr/bin/python3}"
export PYDEVD_DISABLE_FILE_VALIDATION=1 # ipykernel's debugger warning
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
VERSION="${VERSION:-verify-$(git -C "$repo" describe --tags --always --dirty 2>/dev/null || echo dev)}"
OUT="$tmp/usr/local/bin"

echo "== build stage (golang:1.26): $OUT/gostream, version $VERSION"
cd "$repo"
go mod download # Dockerfile
CGO_ENABLED=0 go build -ldflags "-X main.version=${VERSION}" -o ${OUT}/gostream . # Dockerfile

echo "== run stage (jupyter/base-notebook as a user), HOME=$tmp/home"
mkdir -p "$tmp/home/notebooks"
export HOME="$tmp/home"
export PATH="$OUT:$PATH"
# Only the image's defaults: no Jupyter paths from the calling environment.
unset JUPYTER_DATA_DIR JUPYTER_PATH JUPYTER_CONFIG_DIR JUPYTER_RUNTIME_DIR
gostream version && gostream install --user && jupyter kernelspec list # Dockerfile
cp -R "$repo/notebooks/." "$HOME/notebooks/"
rm -rf "$HOME/notebooks/data"

spec="$HOME/.local/share/jupyter/kernels/gostream/kernel.json"
test -f "$spec" || { echo "verify: $spec missing" >&2; exit 1; }
"$PY" - "$spec" "$OUT/gostream" <<'PYEOF'
import json, sys
spec = json.load(open(sys.argv[1]))
assert spec["argv"][0] == sys.argv[2], f"kernel.json runs {spec['argv'][0]}, want {sys.argv[2]}"
assert spec["language"] == "go", spec
PYEOF
case "$(gostream version)" in
  *"$VERSION"*) ;;
  *) echo "verify: gostream version does not report $VERSION" >&2; exit 1 ;;
esac
case "$(jupyter kernelspec list)" in
  *" gostream "*"$HOME/.local/share/jupyter/kernels/gostream"*) ;;
  *) echo "verify: jupyter kernelspec list does not show gostream in $HOME" >&2; exit 1 ;;
esac

echo "== kernel: run notebooks/$notebook.ipynb with nbclient"
cd "$HOME/notebooks"
GOSTREAM_TEST=1 jupyter nbconvert --to notebook --execute \
  --ExecutePreprocessor.kernel_name=gostream --ExecutePreprocessor.timeout=60 \
  --output-dir "$tmp/executed" "$notebook.ipynb"
"$PY" - "$tmp/executed/$notebook.ipynb" <<'PYEOF'
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
assert nb.metadata.kernelspec.name == "gostream"
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
ran = [c for c in nb.cells if c.cell_type == "code" and c.execution_count]
code = [c for c in nb.cells if c.cell_type == "code"]
assert not errors, errors
assert len(ran) == len(code), f"{len(ran)} of {len(code)} code cells ran"
print(f"verify: {len(ran)} cells ran without errors")
PYEOF
echo "verify: ok"
