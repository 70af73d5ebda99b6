"""The Chat page: the conversation list, the conversation, the composer and the model panel."""
