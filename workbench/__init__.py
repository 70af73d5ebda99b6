"""Workbench: chat with local GGUF models and OpenAI-compatible services."""

import os

__version__ = "0.1.0"

# huggingface_hub puts the versions of installed packages (torch, …) into its User-Agent, and
# finding them scans every installed distribution: about 100 ms of work holding the GIL, which
# stalled the window when the first download started. Workbench sends no such telemetry. The
# library reads this once, at import, so it is set here, before anything imports it.
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
