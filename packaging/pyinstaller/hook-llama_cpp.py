"""PyInstaller hook for llama-cpp-python (none ships with PyInstaller or its contrib hooks).

llama_cpp loads ``lib/libllama.*`` (and ggml next to it) through ctypes at import time, from
``<package>/lib``. PyInstaller cannot see ctypes loads, so the libraries are collected here and
kept at ``llama_cpp/lib`` inside the bundle, where the package looks for them.
"""

from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs(
    "llama_cpp",
    destdir="llama_cpp/lib",
    search_patterns=["*.so*", "*.dylib", "*.dll", "*.metal"],
)
# Chat templates are rendered by llama_cpp.llama_chat_format with Jinja2, imported lazily.
hiddenimports = ["llama_cpp.llama_chat_format", "jinja2"]
