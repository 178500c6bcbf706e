"""The NIM driver's resource planners: one module per resource type (compare + steps)."""
