"""Actor knowledge base and codebooks."""
