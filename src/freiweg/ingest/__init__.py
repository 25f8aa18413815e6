"""Count sources, one folder each with the same file names; every source ends in the intake service."""
