#!/usr/bin/env bash
# Build the Linux packages of Workbench into dist/:
#   dist/Workbench/                     the one-folder app (run dist/Workbench/Workbench)
#   dist/Workbench-<v>-linux-<arch>-<variant>.tar.gz
#   dist/workbench_<v>_<arch>-<variant>.deb   (/opt/workbench, /usr/bin/workbench, menu, icon)
#
# WORKBENCH_VARIANT names the llama.cpp build in the file names (cpu, cuda, vulkan); the build
# itself is whatever llama-cpp-python is installed — rebuild it first for a GPU variant, e.g.
#   CMAKE_ARGS="-DGGML_CUDA=on -DGGML_NATIVE=OFF" uv sync --reinstall-package llama-cpp-python
# (see packaging/README.md). Needs uv, and dpkg-deb for the .deb.
# An AppImage is not built: appimagetool is not available from the package registries this
# project may use (PyPI, Debian, npm); see packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

variant=${WORKBENCH_VARIANT:-cpu}
version=$(uv run --quiet python -c "import workbench; print(workbench.__version__)")
arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
started=$(date +%s)

rm -rf dist/Workbench build/pyinstaller dist/*.deb dist/*.tar.gz
uv run --quiet pyinstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/workbench.spec
uv run --quiet python packaging/dedupe_libs.py dist/Workbench/_internal/llama_cpp/lib
built=$(date +%s)

# Nothing of the tests or of a developer's data may ship.
if find dist/Workbench \( -iname '*webengine*' -o -name '*.gguf' -o -name 'keys.json' \
        -o -name 'providers.json' -o -name 'conftest.py' \) | grep -q .; then
    echo "build-linux: the bundle contains files it must not ship:" >&2
    find dist/Workbench \( -iname '*webengine*' -o -name '*.gguf' -o -name 'keys.json' \
        -o -name 'providers.json' -o -name 'conftest.py' \) >&2
    exit 1
fi

tarball="dist/Workbench-${version}-linux-${arch}-${variant}.tar.gz"
tar -C dist -czf "$tarball" Workbench

if command -v dpkg-deb >/dev/null 2>&1; then
    root="build/deb/workbench_${version}_${arch}"
    rm -rf "$root"
    mkdir -p "$root/DEBIAN" "$root/opt/workbench" "$root/usr/bin" \
        "$root/usr/share/applications" "$root/usr/share/icons/hicolor/scalable/apps"
    cp -a dist/Workbench/. "$root/opt/workbench/"
    # Relative, so that the package also works unpacked under another root (dpkg -x).
    ln -s ../../opt/workbench/Workbench "$root/usr/bin/workbench"
    cp packaging/linux/workbench.desktop "$root/usr/share/applications/workbench.desktop"
    cp resources/icons/workbench.svg "$root/usr/share/icons/hicolor/scalable/apps/workbench.svg"
    installed_kb=$(du -sk "$root" | cut -f1)
    cat > "$root/DEBIAN/control" <<CONTROL
Package: workbench
Version: ${version}
Architecture: ${arch}
Maintainer: Workbench developers <workbench@localhost>
Installed-Size: ${installed_kb}
Section: utils
Priority: optional
Depends: libc6 (>= 2.31), libegl1, libgl1, libfontconfig1, libfreetype6, libdbus-1-3, libglib2.0-0, libgssapi-krb5-2, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-glx0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-util1, libxcb-xfixes0, libxcb-xkb1, libxkbcommon0, libxkbcommon-x11-0, libgomp1
Recommends: gnome-keyring | kwalletmanager, libwayland-client0, libwayland-cursor0, libwayland-egl1
Description: Chat with local GGUF models and OpenAI-compatible services
 Workbench downloads quantized GGUF models from the Hugging Face Hub, runs
 them on this computer through llama.cpp, and chats with OpenAI and
 OpenAI-compatible services, in one window. llama.cpp build: ${variant}.
CONTROL
    dpkg-deb --build --root-owner-group -Zxz "$root" \
        "dist/workbench_${version}_${arch}-${variant}.deb" >/dev/null
fi
finished=$(date +%s)

echo "build-linux: PyInstaller $((built - started)) s, packages $((finished - built)) s"
echo "build-linux: dist/Workbench $(du -sh dist/Workbench | cut -f1) unpacked"
ls -l dist/*.tar.gz dist/*.deb 2>/dev/null | awk '{printf "build-linux: %s %.1f MB\n", $NF, $5 / 1e6}'
