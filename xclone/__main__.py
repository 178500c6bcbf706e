"""`python -m xclone` runs the CLI."""

from xclone.cli.start import main

main()
