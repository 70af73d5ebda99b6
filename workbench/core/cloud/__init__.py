"""Cloud chat: OpenAI and OpenAI-compatible services (hosted or local servers)."""
