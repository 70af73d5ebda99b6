# Run on the GPU machine from the repository root, with .gpu/ carried (see README.md there).
# Builds llama-cpp-python with CUDA for Hopper (about 4 minutes on 16 cores), then measures.
set -u
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD
if [ ! -d /tmp/site/llama_cpp ]; then
    start=$(date +%s)
    CMAKE_ARGS="-DGGML_CUDA=on -DCMAKE_CUDA_ARCHITECTURES=${CUDA_ARCH:-90-real} -DGGML_CUDA_FA=OFF \
-DGGML_CUDA_NCCL=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
-DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DGGML_NATIVE=OFF" CMAKE_BUILD_PARALLEL_LEVEL=16 \
    python3 -m pip install --no-index --no-deps --no-build-isolation --no-compile \
        --target /tmp/site -v .gpu/llama_cpp_python-*.tar.gz > "$OUT/build.log" 2>&1
    echo "build rc=$? in $(( $(date +%s) - start )) s"
fi
python3 .gpu/make_model.py .gpu/model-header.bin "$(cat .gpu/model-size)" /tmp/model0.gguf
# First the question the last run left open: the engine's model process against llama.cpp in
# the same process, same settings, one model at a time.
# Automatic GPU layers and the out-of-memory retry, against a GPU that is really full.
timeout 240 python3 .gpu/auto_layers.py /tmp/model0.gguf 2>&1 | tee "$OUT/auto_layers.txt"
timeout 150 python3 .gpu/engine_vs_inprocess.py /tmp/model0.gguf 2>&1 | tee "$OUT/engine.txt"
timeout 200 python3 bench/compare_concurrency.py --model /tmp/model0.gguf --rounds 2 \
    --max-tokens 300 --uniform 2>&1 | tee "$OUT/concurrency.txt" | tail -16
