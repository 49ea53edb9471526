"""API version bump workflow: spec and generated-code diffs, guard, changelog."""
