"""The command line: the only package that wires spec, observation, planning, apply and rendering.

Every subcommand lives in its own module and is registered in `main.py`.
"""
