"""Two asset jobs that share an upstream asset, each a pipeline of its own; a weekly schedule."""
