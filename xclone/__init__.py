"""xclone: turn the xCAT/NIM runbook for cloning AIX LPARs into a plan you review and apply.

Published as the distribution `xclone-aix` (the name `xclone` on the public package index belongs
to an unrelated project); the import package and the console script are `xclone`. The version
below is the only one: pyproject.toml reads it (`[tool.setuptools.dynamic]`), `xclone --version`
prints it and saved plans record it.
"""

__version__ = "0.2.0"
