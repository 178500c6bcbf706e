"""One module per resource type: compare desired with observed, emit changes and steps."""
