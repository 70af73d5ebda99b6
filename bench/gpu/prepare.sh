#!/bin/sh
# Gathers what the GPU check needs into .gpu/ (git-ignored through .git/info/exclude), small
# enough to travel to a lent GPU machine that cannot reach the internet (64 MiB at most):
# - llama-cpp-python's source, without its git history, docs and vocabulary-only test models
#   (76 MB -> 13 MB), to build there with CUDA;
# - wheels of the pure-Python packages our core needs that such a machine may lack;
# - the test model's GGUF header (1.8 MB): make_model.py rebuilds the model's exact shape there
#   with every weight zero (same tensors, types and sizes, so the same work per token).
set -eu
cd "$(dirname "$0")/../.."
VERSION=$(uv run python -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))')
MODEL=${MODEL:-$HOME/.cache/workbench-tests/SmolLM2-135M-Instruct.Q4_1.gguf}
mkdir -p .git/info .gpu/whl
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
tmp=$(mktemp -d)
python3 -m pip download -q --no-deps --no-binary :all: "llama-cpp-python==$VERSION" -d "$tmp"
tar xzf "$tmp/llama_cpp_python-$VERSION.tar.gz" -C "$tmp"
src="$tmp/llama_cpp_python-$VERSION"
rm -rf "$src/.git" "$src/vendor/llama.cpp/docs" "$src/vendor/llama.cpp/media" "$src"/vendor/llama.cpp/models/*.gguf
tar czf ".gpu/llama_cpp_python-$VERSION.tar.gz" -C "$tmp" "llama_cpp_python-$VERSION"
python3 -m pip download -q --no-deps --only-binary=:all: -d .gpu/whl diskcache platformdirs \
    psutil filelock \
    "gguf==$(uv run python -c 'import importlib.metadata as m; print(m.version("gguf"))')"
uv run python - "$MODEL" <<'PY'
import os, sys
from gguf import GGUFReader
path = sys.argv[1]
offset = GGUFReader(path).data_offset
with open(path, "rb") as f, open(".gpu/model-header.bin", "wb") as out:
    out.write(f.read(offset))
with open(".gpu/model-size", "w") as out:
    out.write(str(os.path.getsize(path)))
PY
cp bench/gpu/check.sh bench/gpu/make_model.py bench/gpu/engine_vs_inprocess.py \
    bench/gpu/auto_layers.py .gpu/
rm -rf "$tmp"
du -sh .gpu
