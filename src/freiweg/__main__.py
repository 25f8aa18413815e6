"""Run the command line with `python -m freiweg`."""

from freiweg.cli import main

main()
