"""The per-file analysis behind the engine: facts, names, the walk and matching."""
