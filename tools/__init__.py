"""Developer tools: code generation and API diffs (not shipped)."""
