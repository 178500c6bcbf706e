"""xclone: turn the xCAT/NIM runbook for cloning AIX LPARs into a plan you review and apply."""

__version__ = "0.1.0"
