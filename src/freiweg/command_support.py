"""What every `freiweg` command module shares: open the services, say what to fix, and exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from freiweg.domain.errors import InvalidInput
    from freiweg.services.registry import Services


def fail(message: str) -> NoReturn:
    """Print what to fix and exit with status 1."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


@contextmanager
def opened() -> Iterator[Services]:
    """Services on the configured database, migrated to the newest schema, closed afterwards."""
    from freiweg.bootstrap import build_services
    from freiweg.settings import Settings

    built = build_services(Settings())
    try:
        yield built
    finally:
        built.database.dispose()


def report_invalid(error: InvalidInput, *, item: str = "item", first: int = 0) -> NoReturn:
    """Print every problem of an invalid input, one per line, naming the item and field, and exit.

    `item` names what the problem index counts (feature, option, row); `first` is the number the
    first one is given (0 or 1).
    """
    typer.secho(f"error: {error.title}", err=True, fg=typer.colors.RED)
    for p in error.problems:
        where = f"{item} {p.index + first}: " if p.index is not None else ""
        typer.echo(f"  {where}{p.field}: {p.message}", err=True)
    raise typer.Exit(1)
