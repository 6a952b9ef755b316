"""Fuzzing: the core with hypothesis, the whole client with mutated responses."""
