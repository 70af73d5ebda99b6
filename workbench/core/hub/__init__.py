"""Hugging Face Hub access: search GGUF models, list a repository's files, read remote headers.

No Qt here; the GUI runs these calls on worker threads.
"""

from workbench.core.hub.client import HubClient, HubError, SearchPager, hub_error
from workbench.core.hub.models import (
    HubFile,
    ModelEntry,
    RepoDetails,
    RepoSummary,
    quantization_from_name,
)

__all__ = [
    "HubClient",
    "HubError",
    "HubFile",
    "ModelEntry",
    "RepoDetails",
    "RepoSummary",
    "SearchPager",
    "hub_error",
    "quantization_from_name",
]
