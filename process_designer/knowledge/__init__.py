"""The process template library: curated templates, their embeddings and search over Chroma."""
