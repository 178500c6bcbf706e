"""Transports run a `Command` on a named host and return what it printed.

They know nothing of xCAT, NIM or the HMC: deciding whether an exit status or an `Error:` line is
a failure belongs to the apply layer. Implementations: `sim` (the lab in-process), `ssh` (fabric),
`snapshot` (replay of recorded outputs).
"""
