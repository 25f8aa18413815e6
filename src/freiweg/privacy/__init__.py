"""Privacy core: per-window keyed pseudonyms and windowed distinct counting, standard library only."""
