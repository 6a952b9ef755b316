"""The fault matrix: servers that misbehave in one precise way each."""
