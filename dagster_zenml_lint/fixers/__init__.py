"""Fixers: turn findings of direct mappings into text edits (ruff's model)."""
