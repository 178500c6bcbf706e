"""The NIM face of the management node: `lsnim`, `nim -o ...` and the shared NIM object rules."""
