<#
.SYNOPSIS
Builds the Windows app (dist\Workbench) and its installer for one llama.cpp variant.

.DESCRIPTION
1. Rebuilds llama-cpp-python from source for the variant (CMAKE_ARGS; GGML_NATIVE is always off
   so that the app runs on other CPUs than the build machine's).
2. Runs PyInstaller with packaging\workbench.spec.
3. Puts the DLLs that ggml's libraries need next to them: the OpenMP runtime of the MSVC
   redistributable, and for cuda the CUDA runtime and cuBLAS.
4. Runs the app's self-test (with -Model, a short generation as well).
5. Compiles packaging\windows\workbench.iss with Inno Setup into
   dist\Workbench-<version>-windows-x64-<variant>-setup.exe.

Needs: Visual Studio 2022 (Build Tools) with the C++ workload, uv, Inno Setup 6.3 or newer, and
for cuda the CUDA Toolkit 12 (CUDA_PATH), for vulkan the Vulkan SDK (VULKAN_SDK).
CMAKE_ARGS already in the environment are appended to the variant's, so they can override them.
The script replaces the llama-cpp-python build in .venv; `uv sync --reinstall-package
llama-cpp-python` goes back to a development build.

.PARAMETER Variant
cpu (default), cuda or vulkan.

.PARAMETER Model
A GGUF file for the self-test's generation check (optional).

.PARAMETER Version
The version in the installer's name and metadata; default: pyproject.toml's.

.PARAMETER Python
The Python version for the environment; default: UV_PYTHON, else 3.11.

.PARAMETER SkipInstaller
Stop after the self-test (no Inno Setup needed).

.EXAMPLE
powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1 -Variant cuda -Model C:\models\SmolLM2-135M-Instruct.Q4_1.gguf
#>
[CmdletBinding()]
param(
    [ValidateSet('cpu', 'cuda', 'vulkan')]
    [string] $Variant = 'cpu',
    [string] $Model = '',
    [string] $Version = '',
    [string] $Python = '',
    [switch] $SkipInstaller
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'  # Invoke-WebRequest is many times slower with it
$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
Set-Location $Root

function Write-Step([string] $Text) {
    Write-Host ''
    Write-Host "==> $Text" -ForegroundColor Cyan
}

# Runs a program and stops the build when it fails (PowerShell itself ignores exit codes).
function Invoke-Checked([string] $FilePath, [string[]] $Arguments) {
    & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath $($Arguments -join ' ') failed with exit code $LASTEXITCODE"
    }
}

# The names of DLLs among $Candidates that a PE file imports. The import table holds the names
# as ASCII, so a byte search is enough; used on ggml's small CPU libraries only.
function Get-ImportedDll([string] $Path, [string[]] $Candidates) {
    $text = [System.Text.Encoding]::ASCII.GetString([System.IO.File]::ReadAllBytes($Path))
    $found = @()
    foreach ($name in $Candidates) {
        if ($text.IndexOf($name, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
            $found += $name
        }
    }
    return $found
}

# An OpenMP DLL of the MSVC redistributable, searched in this order: the Visual Studio redist
# folder (the toolset that compiled ggml) of a developer prompt or of vswhere's newest
# installation; the bundle, where PyInstaller may have put it; System32 (vcomp140.dll comes with
# the VC++ redistributable); the Python environment.
function Find-OpenMpDll([string] $Name, [string] $Internal) {
    $redists = @()
    if ($env:VCToolsRedistDir) { $redists += $env:VCToolsRedistDir }
    $vswhere = Join-Path ${env:ProgramFiles(x86)} 'Microsoft Visual Studio\Installer\vswhere.exe'
    if (Test-Path $vswhere) {
        $vs = & $vswhere -latest -products * -property installationPath `
            -requires Microsoft.VisualStudio.Component.VC.Tools.x86.x64
        if ($LASTEXITCODE -eq 0 -and $vs) {
            $versions = @(Get-ChildItem -Path (Join-Path $vs 'VC\Redist\MSVC\*') -Directory `
                -ErrorAction SilentlyContinue | Sort-Object Name -Descending)
            $redists += @($versions | ForEach-Object { $_.FullName })
        }
    }
    foreach ($redist in $redists) {
        $pattern = Join-Path $redist "x64\Microsoft.VC*.OpenMP*\$Name"
        $hits = @(Get-ChildItem -Path $pattern -ErrorAction SilentlyContinue)
        if ($hits.Count -gt 0) { return $hits[0].FullName }
    }
    $fixed = @((Join-Path $Internal $Name), (Join-Path $env:SystemRoot "System32\$Name"))
    foreach ($path in $fixed) {
        if (Test-Path $path) { return $path }
    }
    $hits = @(Get-ChildItem -Path (Join-Path $Root '.venv') -Recurse -Filter $Name `
        -ErrorAction SilentlyContinue)
    if ($hits.Count -gt 0) { return $hits[0].FullName }
    return $null
}

function Find-Iscc {
    $command = Get-Command 'ISCC.exe' -ErrorAction SilentlyContinue
    if ($command) { return $command.Path }
    $perUser = Join-Path $env:LOCALAPPDATA 'Programs'
    $bases = @(${env:ProgramFiles(x86)}, $env:ProgramFiles, $perUser)
    foreach ($base in $bases) {
        if (-not $base) { continue }
        $iscc = Join-Path $base 'Inno Setup 6\ISCC.exe'
        if (Test-Path $iscc) { return $iscc }
    }
    return $null
}

# ---------------------------------------------------------------------------------------------
if (-not $Version) {
    $pyproject = Get-Content (Join-Path $Root 'pyproject.toml') -Raw
    if ($pyproject -notmatch '(?m)^version\s*=\s*"([^"]+)"') {
        throw 'no version in pyproject.toml'
    }
    $Version = $Matches[1]
}
if (-not $Python) { $Python = if ($env:UV_PYTHON) { $env:UV_PYTHON } else { '3.11' } }
if ($Model) {
    if (-not (Test-Path $Model -PathType Leaf)) { throw "-Model: $Model is not a file" }
    $Model = (Resolve-Path $Model).Path
}
if (-not (Get-Command 'uv' -ErrorAction SilentlyContinue)) { throw 'uv is needed (pip install uv)' }

# Every variant: no -march=native, which would build in the build machine's AVX-512 and crash
# older CPUs with illegal instructions. GGML_NATIVE=OFF enables this AVX2 baseline by itself,
# except when SOURCE_DATE_EPOCH is set, which drops it to SSE2-only kernels; so it is spelled out.
$cmakeArgs = '-DGGML_NATIVE=OFF -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_BMI2=ON' +
    ' -DGGML_FMA=ON -DGGML_F16C=ON'
switch ($Variant) {
    'cuda' {
        if (-not $env:CUDA_PATH -or -not (Test-Path (Join-Path $env:CUDA_PATH 'bin\nvcc.exe'))) {
            throw 'the cuda variant needs the CUDA Toolkit: CUDA_PATH\bin\nvcc.exe not found'
        }
        # GGML_CUDA_NO_VMM: ggml-cuda.dll then links only the CUDA runtime, which we ship, and not
        # the driver's nvcuda.dll, so the app also starts (on the CPU) where no NVIDIA driver is.
        $cmakeArgs += ' -DGGML_CUDA=ON -DGGML_CUDA_NO_VMM=ON'
    }
    'vulkan' {
        if (-not $env:VULKAN_SDK -or -not (Test-Path (Join-Path $env:VULKAN_SDK 'Bin\glslc.exe'))) {
            throw 'the vulkan variant needs the Vulkan SDK: VULKAN_SDK\Bin\glslc.exe not found'
        }
        $cmakeArgs += ' -DGGML_VULKAN=ON'
    }
}
if ($env:CMAKE_ARGS) { $cmakeArgs += " $env:CMAKE_ARGS" }
$env:CMAKE_ARGS = $cmakeArgs
Write-Host "Workbench $Version, Windows x64, variant $Variant"
Write-Host "CMAKE_ARGS=$env:CMAKE_ARGS"

Write-Step "llama-cpp-python for '$Variant' (compiles llama.cpp: minutes; CUDA: much longer)"
# uv keeps the wheel it built last time whatever CMAKE_ARGS were then; drop it to rebuild.
Invoke-Checked 'uv' @('cache', 'clean', 'llama-cpp-python')
Invoke-Checked 'uv' @('sync', '--locked', '--python', $Python,
    '--reinstall-package', 'llama-cpp-python')
$venvLib = Join-Path $Root '.venv\Lib\site-packages\llama_cpp\lib'
$expected = @{ cpu = 'ggml-cpu.dll'; cuda = 'ggml-cuda.dll'; vulkan = 'ggml-vulkan.dll' }[$Variant]
if (-not (Test-Path (Join-Path $venvLib $expected))) {
    throw "llama.cpp was built without $expected (in $venvLib): check the CMake output above"
}

Write-Step 'PyInstaller'
Invoke-Checked 'uv' @('run', '--no-sync', 'pyinstaller', '--noconfirm', '--clean',
    'packaging\workbench.spec')
$bundle = Join-Path $Root 'dist\Workbench'
$internal = Join-Path $bundle '_internal'
$llamaLib = Join-Path $internal 'llama_cpp\lib'
if (-not (Test-Path (Join-Path $llamaLib 'llama.dll'))) {
    throw "PyInstaller made no $llamaLib\llama.dll"
}

Write-Step 'DLLs next to ggml'
# ggml-cpu.dll links the OpenMP runtime: vcomp140.dll (MSVC's /openmp) or libomp140.x86_64.dll
# (the LLVM one, /openmp:llvm or clang-cl). PyInstaller's binary analysis puts vcomp140.dll at
# the top of _internal and does not find libomp140 at all (it is only in Visual Studio's redist
# folder). The copy next to ggml-cpu.dll, in the folder llama-cpp-python adds to the DLL search
# path, is found however the process was started.
$openMpNames = @('libomp140.x86_64.dll', 'vcomp140.dll')
$cpuLibs = @(Get-ChildItem -Path $llamaLib -Filter 'ggml*.dll' |
    Where-Object { $_.Name -like 'ggml-cpu*' -or $_.Name -eq 'ggml.dll' })
$needed = @()
foreach ($dll in $cpuLibs) { $needed += @(Get-ImportedDll $dll.FullName $openMpNames) }
$needed = @($needed | Sort-Object -Unique)
if ($needed.Count -eq 0) { Write-Host 'ggml was built without OpenMP: nothing to place' }
foreach ($name in $needed) {
    $target = Join-Path $llamaLib $name
    if (Test-Path $target) { Write-Host "$name is in place"; continue }
    $source = Find-OpenMpDll $name $internal
    if (-not $source) {
        throw ("ggml-cpu.dll needs $name, the OpenMP runtime of the MSVC redistributable, " +
            'and it was found neither in Visual Studio''s ' +
            'VC\Redist\MSVC\<version>\x64\Microsoft.VC143.OpenMP[.LLVM] folder, nor in the ' +
            'bundle, nor in System32. Install Visual Studio 2022 (Build Tools) with ' +
            '"Desktop development with C++" and run this script again.')
    }
    Copy-Item -Path $source -Destination $target
    Write-Host "$name <- $source"
}

if ($Variant -eq 'cuda') {
    # ggml-cuda.dll links the CUDA runtime and cuBLAS; they ship with the app (the user needs only
    # the NVIDIA driver). PyInstaller finds them when CUDA_PATH\bin is on PATH; otherwise copy them.
    foreach ($pattern in @('cudart64_*.dll', 'cublas64_*.dll', 'cublasLt64_*.dll')) {
        $present = @(Get-ChildItem -Path $internal -Recurse -Filter $pattern `
            -ErrorAction SilentlyContinue)
        if ($present.Count -gt 0) { Write-Host "$($present[0].Name) is in the bundle"; continue }
        $source = @(Get-ChildItem -Path (Join-Path $env:CUDA_PATH 'bin') -Filter $pattern `
            -ErrorAction SilentlyContinue | Sort-Object Name -Descending)
        if ($source.Count -eq 0) {
            throw "ggml-cuda.dll needs $pattern, not found in $env:CUDA_PATH\bin"
        }
        Copy-Item -Path $source[0].FullName -Destination $llamaLib
        Write-Host "$($source[0].Name) <- $($source[0].FullName)"
    }
}
# The driver's libraries must come from the user's driver, never from the build machine.
foreach ($name in @('nvcuda.dll', 'vulkan-1.dll')) {
    $strays = @(Get-ChildItem -Path $internal -Recurse -Filter $name -ErrorAction SilentlyContinue)
    foreach ($stray in $strays) {
        Remove-Item -Path $stray.FullName
        Write-Host "removed $($stray.FullName): it belongs to the GPU driver"
    }
}

Write-Step 'self-test'
# Workbench.exe is a windowed program: with its output redirected to files it has standard
# streams, and Start-Process -Wait waits for it (PowerShell does not wait for windowed programs).
New-Item -ItemType Directory -Force -Path (Join-Path $Root 'build') | Out-Null
$report = Join-Path $Root "build\selftest-windows-$Variant.json"
$stderrFile = "$report.stderr.txt"
$argumentLine = '--selftest'
$checkArgs = @('run', '--no-sync', 'python', 'packaging\check_selftest.py', $report,
    '--variant', $Variant, '--bundle', $bundle)
if ($Model) {
    $argumentLine += " --model `"$Model`""
    $checkArgs += '--model'
}
$process = Start-Process -FilePath (Join-Path $bundle 'Workbench.exe') -ArgumentList $argumentLine `
    -Wait -PassThru -NoNewWindow -RedirectStandardOutput $report -RedirectStandardError $stderrFile
& uv @checkArgs
$checked = $LASTEXITCODE
if ($process.ExitCode -ne 0 -or $checked -ne 0) {
    Get-Content $stderrFile -Tail 40 -ErrorAction SilentlyContinue | Write-Host
    throw "the self-test failed (exit code $($process.ExitCode); report: $report)"
}

if ($SkipInstaller) {
    Write-Host "`nbuilt $bundle (no installer: -SkipInstaller)"
    return
}

Write-Step 'installer'
$iscc = Find-Iscc
if (-not $iscc) {
    throw ('Inno Setup 6 (ISCC.exe) not found: install it (winget install JRSoftware.InnoSetup)' +
        ' or use -SkipInstaller')
}
$work = Join-Path $Root 'build\windows'
New-Item -ItemType Directory -Force -Path $work | Out-Null
$defines = @("/DAppVersion=$Version", "/DVariant=$Variant", "/DBundleDir=$bundle",
    "/DOutDir=$(Join-Path $Root 'dist')")
# The file version resource takes numbers only: 1.2.0rc1 and 1.2.0-dev give 1.2.0.
if ($Version -match '^\d+(\.\d+){0,3}') { $defines += "/DNumericVersion=$($Matches[0])" }

# The installer speaks Chinese (Simplified) with the translation from Inno Setup's repository
# when this Inno Setup has none in its Languages folder: the one of its own release (tag
# is-6_7_3 for 6.7.3, so that the messages match the compiler), else the newest.
$isccDir = Split-Path -Parent $iscc
if (-not (Test-Path (Join-Path $isccDir 'Languages\ChineseSimplified.isl'))) {
    $isl = Join-Path $work 'ChineseSimplified.isl'
    if (-not (Test-Path $isl)) {
        $refs = @()
        if ((Get-Item $iscc).VersionInfo.ProductVersion -match '^(\d+)\.(\d+)\.(\d+)') {
            $refs += "is-$($Matches[1])_$($Matches[2])_$($Matches[3])"
        }
        $refs += 'main'
        $repo = 'https://raw.githubusercontent.com/jrsoftware/issrc'
        $urls = @()
        foreach ($ref in $refs) {
            foreach ($folder in @('Files/Languages/Unofficial', 'Files/Languages')) {
                $urls += "$repo/$ref/$folder/ChineseSimplified.isl"
            }
        }
        foreach ($url in $urls) {
            try {
                Invoke-WebRequest -UseBasicParsing -OutFile $isl -Uri $url
                Write-Host "ChineseSimplified.isl <- $url"
                break
            } catch {
                Remove-Item -Path $isl -ErrorAction SilentlyContinue
            }
        }
    }
    if (Test-Path $isl) {
        $defines += "/DChineseIsl=$isl"
    } else {
        Write-Warning ('ChineseSimplified.isl is neither in Inno Setup''s Languages folder nor ' +
            'downloadable: the installer will be English only')
    }
}

# The installer's own icon, drawn from the SVG like the app's.
$ico = Join-Path $work 'workbench.ico'
& uv run --no-sync python packaging\render_icon.py --ico $ico | Out-Null
if ($LASTEXITCODE -eq 0 -and (Test-Path $ico)) { $defines += "/DSetupIcon=$ico" }

Invoke-Checked $iscc ($defines + @('/Qp', (Join-Path $PSScriptRoot 'workbench.iss')))
$setup = Join-Path $Root "dist\Workbench-$Version-windows-x64-$Variant-setup.exe"
if (-not (Test-Path $setup)) { throw "Inno Setup made no $setup" }
Write-Host "`nbuilt $setup"
