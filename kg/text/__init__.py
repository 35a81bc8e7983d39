"""Text stages: read, normalise, structure (sections and sentences), segment."""
