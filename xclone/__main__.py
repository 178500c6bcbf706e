"""`python -m xclone` runs the CLI."""

from xclone.cli.main import main

main()
