"""Hugging Face Hub access: search GGUF models, list a repository's files, read remote headers.

No Qt here; the GUI runs these calls on worker threads. Import from the modules themselves
(``workbench.core.hub.client``, ``.models``): the client pulls in huggingface_hub and its HTTP
stack (about half a second), which the window only needs once the user opens a Hub page.
"""
