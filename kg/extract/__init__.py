"""Extraction stages: time, quantities, observations, mentions, relations, resolution."""
