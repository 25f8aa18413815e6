"""The demo's Wi-Fi sensors as edge agents: simulated probe requests counted by the agent's own pipeline."""

from __future__ import annotations

import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

from freiweg.demo.simulation import SimulatedSensor
from freiweg.edge.estimator import Tuning, WindowCounter
from freiweg.edge.simulator import window_frames
from freiweg.privacy.windows import Window

RANDOMISING_SHARE = 0.6
TUNING = Tuning()


def edge_count(sensor: SimulatedSensor, window_start: datetime, zone: ZoneInfo) -> int:
    """The agent's device estimate for one window of simulated traffic; the same window gives the same count.

    The simulated phones present are the sensor's profile-based device number; their probe
    requests (random addresses, sequence numbers, OS families) go through the agent's parser,
    keyed pseudonyms and estimator, so the count carries the estimator's real error.
    """
    devices = sensor.devices(window_start, zone)
    start = int(window_start.timestamp())
    seed = zlib.crc32(f"edge|{sensor.id}|{start}".encode())
    frames = window_frames(
        devices, start=start, seconds=sensor.interval_seconds, seed=seed, randomising_share=RANDOMISING_SHARE
    )
    counter = WindowCounter(Window(start, start + sensor.interval_seconds), TUNING)
    for moment, frame in frames:
        counter.observe(moment, frame)
    return counter.close().devices
