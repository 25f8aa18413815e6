"""`freiweg edge`: run the sensor agent, count a capture file, simulate traffic with ground truth."""

from __future__ import annotations

import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
import typer

from freiweg.edge.estimator import Tuning, WindowCount
from freiweg.privacy.windows import MAX_MINUTES, MIN_MINUTES

edge_app = typer.Typer(
    help="The sensor box: count Wi-Fi devices anonymously and upload counts only.", no_args_is_help=True
)


def fail(message: str) -> NoReturn:
    """Print what to fix and exit with status 1."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


def print_line(line: dict[str, Any]) -> None:
    """One JSON line on stdout."""
    sys.stdout.write(orjson.dumps(line).decode() + "\n")
    sys.stdout.flush()


@edge_app.command("count")
def count(
    capture: Annotated[
        Path, typer.Argument(help="A pcap or pcapng file with radiotap headers.", dir_okay=False)
    ],
    window_minutes: Annotated[
        int, typer.Option(min=MIN_MINUTES, max=MAX_MINUTES, help="Window length in minutes.")
    ] = 5,
    min_signal: Annotated[int, typer.Option(help="Ignore probes weaker than this (dBm).")] = -90,
    drop_fixed: Annotated[
        bool, typer.Option(help="Drop devices heard all window long at strong signal.")
    ] = False,
) -> None:
    """Count the devices in a capture file: one JSON line per window on stdout, nothing written."""
    from freiweg.edge.agent import count_windows
    from freiweg.edge.capture import CaptureError, read_capture

    if not capture.is_file():
        fail(f"{capture} is not a file")
    tuning = Tuning(min_signal=min_signal, drop_fixed=drop_fixed)

    def emit(window: WindowCount) -> None:
        print_line(window.as_line())

    try:
        count_windows(read_capture(capture), window_minutes=window_minutes, tuning=tuning, emit=emit)
    except CaptureError as error:
        fail(str(error))


@edge_app.command("run")
def run(
    config_path: Annotated[Path, typer.Option("--config", help="The agent's TOML configuration.")],
    capture: Annotated[
        Path | None,
        typer.Option(help="Replay a capture file instead of listening live (windows follow its times)."),
    ] = None,
) -> None:
    """Run the agent: capture, count per window, queue durably and upload counts to the server."""
    from freiweg.edge import capture as capturing
    from freiweg.edge import config as configuration
    from freiweg.edge import system
    from freiweg.edge.agent import Agent, agent_report, hop_channels
    from freiweg.edge.queue import CountQueue
    from freiweg.edge.uploader import Uploader

    system.forbid_core_dumps()
    if capture is not None and not capture.is_file():
        fail(f"{capture} is not a file")
    try:
        config = configuration.load(config_path)
    except configuration.ConfigError as error:
        fail(str(error))
    if not config.server_url or not config.token:
        fail("set server_url and token (or token_file) in the configuration")
    synced = {
        "auto": system.clock_synchronised,
        "synced": lambda: True,
        "unsynced": lambda: False,
    }[config.clock]
    queue = CountQueue(config.queue_path, capacity=config.queue_capacity)
    code = system.code_sha256()
    uploader = Uploader(
        queue,
        url=config.server_url,
        token=config.token,
        report=lambda: agent_report(config, queue, code, synced),
        batch=config.upload_batch,
        backoff=config.backoff_seconds,
        backoff_max=config.backoff_max_seconds,
    )
    agent = Agent(config, queue=queue, uploader=uploader, report_line=print_line, clock_synced=synced)
    stop = threading.Event()
    try:
        if capture is not None:
            try:
                agent.run(capturing.read_capture(capture), live=False)
            except capturing.CaptureError as error:
                fail(str(error))
            agent.flush()
            left = queue.size()
            if left:
                typer.echo(f"{left} count(s) wait in the queue for the next upload", err=True)
            return
        hopper = threading.Thread(
            target=hop_channels,
            args=(config.interface, config.channels, config.hop_seconds, stop),
            daemon=True,
        )
        hopper.start()
        typer.echo(f"listening on {config.interface}, windows of {config.window_minutes} min", err=True)
        try:
            agent.run(capturing.live(config.interface), live=True)
        except PermissionError:
            fail("live capture needs CAP_NET_RAW (run as the freiweg-edge service user with that capability)")
        except OSError as error:
            fail(f"cannot capture on {config.interface}: {error}")
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        uploader.close()
        queue.close()


@edge_app.command("simulate")
def simulate(
    scenario: Annotated[
        str, typer.Option(help="quiet-lane, shopping-street, busy-square or festival.")
    ] = "shopping-street",
    minutes: Annotated[int, typer.Option(min=1, max=24 * 60, help="Length of the capture in minutes.")] = 30,
    out: Annotated[
        Path, typer.Option(help="Folder for the pcap per sensor and <scenario>-truth.csv.")
    ] = Path("."),
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same capture.")] = 1,
    randomising_share: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Share of phones that randomise addresses.")
    ] = None,
    start: Annotated[
        datetime | None, typer.Option(help="Start time (UTC); default: that many minutes before now.")
    ] = None,
    window_minutes: Annotated[
        int, typer.Option(min=MIN_MINUTES, max=MAX_MINUTES, help="Window length of the truth file.")
    ] = 5,
    sensors: Annotated[
        int, typer.Option(min=1, max=20, help="Sensors along the street; each gets its own capture.")
    ] = 1,
    spacing: Annotated[
        float, typer.Option(min=1.0, max=1000.0, help="Metres between neighbouring sensors.")
    ] = 50.0,
) -> None:
    """Write a simulated capture (radiotap pcap) per sensor and the true people and devices per window."""
    from freiweg.edge import simulator

    chosen = simulator.SCENARIOS.get(scenario)
    if chosen is None:
        fail(f"unknown scenario {scenario!r}; choose one of {', '.join(simulator.SCENARIOS)}")
    length = window_minutes * 60
    if start is None:
        begin = int(time.time() - minutes * 60) // length * length
    else:
        moment = start if start.tzinfo else start.replace(tzinfo=UTC)
        begin = int(moment.timestamp()) // length * length
    captures, truth = simulator.write_street(
        chosen,
        out,
        start=begin,
        minutes=minutes,
        window_minutes=window_minutes,
        seed=seed,
        randomising_share=randomising_share,
        layout=simulator.Layout.street(sensors, spacing),
    )
    typer.echo(f"wrote {', '.join(map(str, captures))} and {truth}", err=True)
