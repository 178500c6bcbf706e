"""Pure value types shared by every layer: addresses, commands, secrets, noderanges, diagnostics.

Nothing here imports another xclone package, so any layer may depend on it.
"""
