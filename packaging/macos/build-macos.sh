#!/usr/bin/env bash
# Build Workbench.app and its disk image on macOS:
#   packaging/macos/build-macos.sh [--variant metal|cpu] [--model FILE.gguf] [--version X.Y.Z]
#
# 1. llama-cpp-python rebuilt from source for the variant (metal: the default on Apple Silicon;
#    cpu: -DGGML_METAL=off, the default on Intel Macs);
# 2. PyInstaller with packaging/macos/workbench-macos.spec -> dist/Workbench.app;
# 3. code signing with the hardened runtime, inner code first, when SIGN_IDENTITY is set
#    (e.g. "Developer ID Application: Name (TEAMID)"); otherwise the app keeps PyInstaller's
#    ad-hoc signature (enough on the machine that built it; Gatekeeper blocks downloaded copies);
# 4. the self-test of the finished app (--model adds a short generation);
# 5. dist/Workbench-<version>-macos-<arch>-<variant>.dmg, notarized and stapled when
#    NOTARY_PROFILE names a keychain profile made with `xcrun notarytool store-credentials`.
#
# The options can also come from WORKBENCH_VARIANT, WORKBENCH_MODEL and WORKBENCH_VERSION.
# CMAKE_ARGS already in the environment are appended to the variant's, so they can override them.
set -euo pipefail
cd "$(dirname "$0")/../.."

die() { echo "build-macos: $*" >&2; exit 1; }
step() { echo; echo "==> $*"; }

variant=${WORKBENCH_VARIANT:-}
model=${WORKBENCH_MODEL:-}
version=${WORKBENCH_VERSION:-}
while [ $# -gt 0 ]; do
    case "$1" in
        --variant) variant=${2:?--variant needs a value}; shift 2 ;;
        --variant=*) variant=${1#*=}; shift ;;
        --model) model=${2:?--model needs a file}; shift 2 ;;
        --model=*) model=${1#*=}; shift ;;
        --version) version=${2:?--version needs a value}; shift 2 ;;
        --version=*) version=${1#*=}; shift ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

[ "$(uname -s)" = Darwin ] || die "this script builds the macOS app; run it on a Mac"
command -v uv >/dev/null || die "uv is needed (pip install uv)"
arch=$(uname -m)  # arm64 or x86_64
if [ -z "$variant" ]; then
    if [ "$arch" = arm64 ]; then variant=metal; else variant=cpu; fi
fi
if [ -z "$version" ]; then
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' pyproject.toml | head -n 1)
fi
[ -n "$version" ] || die "no version given and none found in pyproject.toml"
if [ -n "$model" ]; then
    [ -f "$model" ] || die "--model: $model is not a file"
    model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")
fi

# Release builds must run on other Macs than the build machine: no -march=native (GGML_NATIVE),
# no OpenMP (Apple's clang has none, and a Homebrew libomp found on one build machine but not on
# another would make bundles differ), and dylibs no newer than the Info.plist's minimum macOS.
cmake_args="-DGGML_NATIVE=OFF -DGGML_OPENMP=OFF"
case "$variant" in
    # The Metal shader source is embedded in libggml-metal and compiled on first use.
    metal) cmake_args+=" -DGGML_METAL=ON -DGGML_METAL_EMBED_LIBRARY=ON" ;;
    cpu) cmake_args+=" -DGGML_METAL=OFF" ;;
    *) die "unknown variant '$variant' (metal or cpu)" ;;
esac
if [ "$arch" = x86_64 ]; then
    # With GGML_NATIVE off ggml enables this baseline itself, unless SOURCE_DATE_EPOCH is set,
    # which would silently drop to SSE2-only kernels; spelling it out keeps the AVX2 kernels.
    cmake_args+=" -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_BMI2=ON"
    cmake_args+=" -DGGML_FMA=ON -DGGML_F16C=ON"
fi
export CMAKE_ARGS="$cmake_args${CMAKE_ARGS:+ $CMAKE_ARGS}"
export MACOSX_DEPLOYMENT_TARGET=13.0  # = LSMinimumSystemVersion in Info.plist.in
echo "Workbench $version, macOS $arch, variant $variant"
echo "CMAKE_ARGS=$CMAKE_ARGS"

step "llama-cpp-python for '$variant' (compiles llama.cpp: several minutes)"
# uv keeps the wheel it built last time whatever CMAKE_ARGS were then; drop it to rebuild.
uv cache clean llama-cpp-python
uv sync --locked --python "${UV_PYTHON:-3.11}" --reinstall-package llama-cpp-python
lib=$(uv run --no-sync python -c 'import importlib.util as util, os
print(os.path.dirname(util.find_spec("llama_cpp").origin))')/lib
if [ "$variant" = metal ]; then
    ls "$lib"/libggml-metal.* >/dev/null 2>&1 || die "llama.cpp was built without Metal ($lib)"
elif ls "$lib"/libggml-metal.* >/dev/null 2>&1; then
    die "the cpu variant was built with Metal ($lib): stale build?"
fi

step "icon"
icon=""
rm -rf build/macos && mkdir -p build/macos
iconset=build/macos/workbench.iconset
if uv run --no-sync python packaging/render_icon.py --iconset "$iconset" >/dev/null \
    && iconutil -c icns -o build/macos/workbench.icns "$iconset"; then
    icon=$PWD/build/macos/workbench.icns
else
    # qlmanage draws SVGs too (with Quick Look's white square behind them): second best.
    echo "note: Qt could not render the icon; trying qlmanage"
    mkdir -p build/macos/ql "$iconset"
    if qlmanage -t -s 1024 -o build/macos/ql resources/icons/workbench.svg >/dev/null 2>&1; then
        for points in 16 32 128 256 512; do
            sips -z "$points" "$points" build/macos/ql/workbench.svg.png \
                --out "$iconset/icon_${points}x${points}.png" >/dev/null
            sips -z $((points * 2)) $((points * 2)) build/macos/ql/workbench.svg.png \
                --out "$iconset/icon_${points}x${points}@2x.png" >/dev/null
        done
        iconutil -c icns -o build/macos/workbench.icns "$iconset" \
            && icon=$PWD/build/macos/workbench.icns
    fi
fi
[ -n "$icon" ] || echo "note: no icon could be made; the app gets PyInstaller's default icon"

step "PyInstaller"
WORKBENCH_VERSION=$version WORKBENCH_MACOS_ICON=$icon \
    uv run --no-sync pyinstaller --noconfirm --clean packaging/macos/workbench-macos.spec
app=dist/Workbench.app
[ -x "$app/Contents/MacOS/Workbench" ] || die "PyInstaller made no $app"
plutil -lint "$app/Contents/Info.plist"

if [ -n "${SIGN_IDENTITY:-}" ]; then
    step "code signing as '$SIGN_IDENTITY'"
    entitlements=packaging/macos/entitlements.plist
    plutil -lint "$entitlements"
    sign() { codesign --force --options runtime --timestamp --sign "$SIGN_IDENTITY" "$@"; }
    # Inner to outer: every Mach-O file (dylibs, Python extensions, the Python and Qt framework
    # binaries), deepest first; then the .framework bundles; then the app, whose main executable
    # gets the entitlements. Symbolic links (BUNDLE's cross-links) are not followed.
    count=0
    while IFS= read -r file; do
        if file -b "$file" | grep -q 'Mach-O'; then
            sign "$file"
            count=$((count + 1))
        fi
    done < <(find "$app/Contents" -type f ! -path "$app/Contents/MacOS/Workbench" \
        | awk -F/ '{ print NF "\t" $0 }' | sort -rn | cut -f2-)
    echo "signed $count Mach-O files"
    while IFS= read -r framework; do
        sign "$framework"
    done < <(find "$app/Contents" -type d -name '*.framework' \
        | awk -F/ '{ print NF "\t" $0 }' | sort -rn | cut -f2-)
    sign --entitlements "$entitlements" "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
else
    step "code signing skipped: SIGN_IDENTITY is not set (a local test build)"
fi

step "self-test of $app"
report=build/macos/selftest-$variant.json
selftest=("$app/Contents/MacOS/Workbench" --selftest)
check=(--variant "$variant" --bundle "$app")
if [ -n "$model" ]; then
    selftest+=(--model "$model")
    check+=(--model)
fi
status=0
"${selftest[@]}" > "$report" || status=$?
uv run --no-sync python packaging/check_selftest.py "$report" "${check[@]}" || status=1
[ "$status" -eq 0 ] || die "the self-test failed (report: $report)"

dmg=dist/Workbench-$version-macos-$arch-$variant.dmg
notarize() {  # notarize FILE: submit, wait for the verdict, fail with Apple's log unless Accepted
    local result id
    result=$(xcrun notarytool submit "$1" --keychain-profile "$NOTARY_PROFILE" --wait \
        --output-format json) || true
    echo "$result"
    id=$(printf '%s' "$result" | uv run --no-sync python -c 'if True:
        import json, sys
        r = json.load(sys.stdin)
        print(r.get("id", ""))
        sys.exit(r.get("status") != "Accepted")') && return 0
    if [ -n "$id" ]; then
        xcrun notarytool log "$id" --keychain-profile "$NOTARY_PROFILE" || true
    fi
    die "notarization of $1 was not accepted"
}
if [ -n "${NOTARY_PROFILE:-}" ] && [ -n "${SIGN_IDENTITY:-}" ]; then
    # The app gets its own ticket first, so that a copy dragged out of the disk image passes
    # Gatekeeper without a network connection.
    step "notarizing the app"
    ditto -c -k --keepParent "$app" build/macos/Workbench-notarize.zip
    notarize build/macos/Workbench-notarize.zip
    xcrun stapler staple "$app"
fi

step "disk image $dmg"
stage=build/macos/dmg
rm -rf "$stage" && mkdir -p "$stage"
ditto "$app" "$stage/Workbench.app"  # ditto keeps symbolic links, signatures and attributes
ln -s /Applications "$stage/Applications"  # drag-to-install
rm -f "$dmg"
hdiutil create -volname Workbench -srcfolder "$stage" -ov -format UDZO "$dmg"

if [ -n "${SIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$SIGN_IDENTITY" "$dmg"
fi
if [ -n "${NOTARY_PROFILE:-}" ] && [ -n "${SIGN_IDENTITY:-}" ]; then
    step "notarizing the disk image"
    notarize "$dmg"
    xcrun stapler staple "$dmg"
    xcrun stapler validate "$dmg"
    spctl --assess --type execute --verbose=2 "$app"
elif [ -n "${NOTARY_PROFILE:-}" ]; then
    step "notarization skipped: only a signed app can be notarized (set SIGN_IDENTITY)"
else
    step "notarization skipped: NOTARY_PROFILE is not set (a local test build)"
fi

echo
echo "built $dmg"
