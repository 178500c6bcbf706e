"""`xclone completion bash|zsh|fish`: print the shell completion script for xclone.

The script is click's own: it calls xclone back with `_XCLONE_COMPLETE` set, so completions
always match the installed commands and options. Install it once, e.g.
`xclone completion bash > ~/.local/share/bash-completion/completions/xclone`.
"""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_XCLONE_COMPLETE"


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def completion_command(shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh or fish).

    \b
    bash: xclone completion bash > ~/.local/share/bash-completion/completions/xclone
    zsh:  xclone completion zsh > "${fpath[1]}/_xclone"
    fish: xclone completion fish > ~/.config/fish/completions/xclone.fish
    """
    root = click.get_current_context().find_root().command
    completer = get_completion_class(shell)
    if completer is None:
        raise click.UsageError(f"no completion support for {shell}")
    click.echo(completer(root, {}, "xclone", COMPLETE_VAR).source())
