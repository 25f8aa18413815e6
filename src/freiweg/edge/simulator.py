"""Simulated probe requests with ground truth: people pass or stay near a sensor, some carry phones.

Phones behave like OS families seen in the field: a fixed global address; a random address per
scan burst with continuing sequence numbers (Android); a random address and random sequence numbers
per burst (iOS); a random address kept for the whole visit. Each family has several models whose
information elements differ. The simulator writes a radiotap pcap and a CSV of the truth per window.
"""

from __future__ import annotations

import csv
import math
import random
import struct
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from freiweg.edge.capture import Frame, write_pcap
from freiweg.privacy.windows import window_of

CHANNEL_6 = 2437
RADIOTAP_HEADER = struct.Struct(
    "<BBHIHHbB"
)  # version, pad, length, present, frequency, flags, signal, antenna
PRESENT = (1 << 3) | (1 << 5) | (1 << 11)
HEARING_LIMIT = -90


@dataclass(frozen=True)
class Scenario:
    """A place and time of day: how many people arrive, how long they stay, how many carry phones."""

    name: str
    arrivals_per_minute: float
    pass_share: float
    stay_seconds: tuple[float, float]
    phone_share: float = 0.75
    randomising_share: float = 0.6
    installations: int = 0


SCENARIOS = {
    "quiet-lane": Scenario("quiet-lane", 0.4, 0.95, (60, 600)),
    "shopping-street": Scenario("shopping-street", 10.0, 0.8, (120, 1200)),
    "busy-square": Scenario("busy-square", 12.0, 0.3, (300, 2400)),
    "festival": Scenario("festival", 40.0, 0.1, (900, 3600)),
}

# (family, share among randomising phones or None for global, probe interval range in seconds)
FAMILIES = {
    "global": (None, (45.0, 150.0)),
    "android": (0.45, (15.0, 60.0)),
    "ios": (0.40, (25.0, 90.0)),
    "stable": (0.15, (20.0, 80.0)),
}
MODELS_PER_FAMILY = 6


@dataclass
class Phone:
    """One phone during one visit."""

    family: str
    model: int
    arrive: float
    leave: float
    distance: float
    passing: bool
    interval: float
    address: bytes
    sequence: int


@dataclass
class Truth:
    """The true counts of one window."""

    start: int
    end: int
    people: int = 0
    people_mean: float = 0.0
    phones: int = 0
    devices_heard: int = 0
    randomising_heard: int = 0


@lru_cache(maxsize=64)
def elements(family: str, model: int) -> bytes:
    """The information elements (after the SSID) a phone model sends; the same for all its phones."""
    seed = random.Random(f"{family}-{model}")
    rates = bytes([0x02, 0x04, 0x0B, 0x16]) if family != "ios" else bytes([0x8C, 0x12, 0x98, 0x24])
    parts = [b"\x01" + bytes([len(rates)]) + rates, b"\x32\x04\x0c\x12\x18\x60", b"\x03\x01\x06"]
    ht = bytes(seed.randrange(256) for _ in range(26))
    parts.append(b"\x2d" + bytes([len(ht)]) + ht)
    extended = bytes(seed.randrange(256) for _ in range(seed.choice((4, 8, 10))))
    parts.append(b"\x7f" + bytes([len(extended)]) + extended)
    if seed.random() < 0.7:
        vendor = bytes([0x00, 0x50, 0xF2, 0x08]) + bytes(seed.randrange(256) for _ in range(4))
        parts.append(b"\xdd" + bytes([len(vendor)]) + vendor)
    return b"".join(parts)


def probe_frame(address: bytes, sequence: int, signal: int, body: bytes, ssid: bytes = b"") -> bytes:
    """A radiotap + 802.11 probe request as a monitor-mode adapter delivers it."""
    header = RADIOTAP_HEADER.pack(0, 0, RADIOTAP_HEADER.size, PRESENT, CHANNEL_6, 0x00A0, signal, 1)
    mac = (
        b"\x40\x00\x00\x00" + b"\xff" * 6 + address + b"\xff" * 6 + struct.pack("<H", (sequence % 4096) << 4)
    )
    return header + mac + b"\x00" + bytes([len(ssid)]) + ssid + body


def random_address(rng: random.Random) -> bytes:
    """A locally administered unicast address, as phones draw them."""
    first = (rng.randrange(256) & 0xFC) | 0x02
    return bytes([first]) + rng.randbytes(5)


def global_address(rng: random.Random) -> bytes:
    """A globally administered unicast address from one of a few vendor prefixes."""
    prefixes = (b"\x3c\x28\x6d", b"\xf0\x18\x98", b"\x00\x1a\x11", b"\xa4\x83\xe7", b"\x28\x6c\x07")
    return rng.choice(prefixes) + rng.randbytes(3)


def signal_at(distance: float, rng: random.Random) -> int:
    """Received signal in dBm from a phone at a distance in metres (log-distance path loss)."""
    value = -38.0 - 24.0 * math.log10(max(distance, 1.0)) + rng.gauss(0.0, 4.0)
    return max(-100, min(-20, round(value)))


def visits(scenario: Scenario, start: float, end: float, rng: random.Random) -> list[Phone]:
    """Everyone in range between start and end; people without a phone (or with Wi-Fi off) are family none."""
    people: list[Phone] = []
    warm = scenario.stay_seconds[1]
    moment = start - warm
    rate = scenario.arrivals_per_minute / 60.0
    while True:
        moment += rng.expovariate(rate)
        if moment >= end:
            return people
        passing = rng.random() < scenario.pass_share
        if passing:
            stay = rng.uniform(90.0, 180.0)
            distance = rng.uniform(3.0, 25.0)
        else:
            stay = rng.uniform(*scenario.stay_seconds)
            distance = rng.uniform(5.0, 60.0)
        if moment + stay < start:
            continue
        if rng.random() >= scenario.phone_share:
            people.append(Phone("none", 0, moment, moment + stay, distance, passing, 0.0, b"", 0))
            continue
        family = pick_family(rng, scenario.randomising_share)
        low, high = FAMILIES[family][1]
        address = global_address(rng) if family == "global" else random_address(rng)
        people.append(
            Phone(
                family,
                rng.randrange(MODELS_PER_FAMILY),
                moment,
                moment + stay,
                distance,
                passing,
                rng.uniform(low, high),
                address,
                rng.randrange(4096),
            )
        )


def pick_family(rng: random.Random, randomising_share: float) -> str:
    """An OS family: global address, or one of the randomising families in their field shares."""
    if rng.random() >= randomising_share:
        return "global"
    draw = rng.random()
    return "android" if draw < 0.45 else "ios" if draw < 0.85 else "stable"


def window_frames(
    devices: int, *, start: int, seconds: int, seed: int, randomising_share: float = 0.6
) -> list[Frame]:
    """The frames of exactly `devices` phones near a sensor during one window (most stay, some come or go)."""
    rng = random.Random(seed)
    end = start + seconds
    frames: list[Frame] = []
    for _ in range(devices):
        family = pick_family(rng, randomising_share)
        arrive, leave = float(start), float(end)
        if rng.random() < 0.3:
            if rng.random() < 0.5:
                arrive = start + rng.uniform(0.0, seconds * 0.8)
            else:
                leave = start + rng.uniform(seconds * 0.2, seconds)
        low, high = FAMILIES[family][1]
        address = global_address(rng) if family == "global" else random_address(rng)
        phone = Phone(
            family,
            rng.randrange(MODELS_PER_FAMILY),
            arrive,
            leave,
            rng.uniform(5.0, 60.0),
            False,
            rng.uniform(low, high),
            address,
            rng.randrange(4096),
        )
        frames.extend(phone_frames(phone, start, end, rng))
    frames.sort(key=lambda f: f[0])
    return frames


def phone_frames(phone: Phone, start: float, end: float, rng: random.Random) -> Iterator[Frame]:
    """The frames the sensor hears from one phone between start and end."""
    body = elements(phone.family, phone.model)
    moment = phone.arrive + rng.uniform(0.0, phone.interval)
    middle = (phone.arrive + phone.leave) / 2
    half = (phone.leave - phone.arrive) / 2
    while moment < phone.leave:
        if phone.family in ("android", "ios"):
            phone.address = random_address(rng)
        if phone.family == "ios":
            phone.sequence = rng.randrange(4096)
        heard = rng.choice((1, 1, 2, 2, 3))
        distance = phone.distance
        if phone.passing:
            distance = math.hypot(phone.distance, 60.0 * (moment - middle) / max(half, 1.0))
        for index in range(heard):
            at = moment + index * rng.uniform(0.005, 0.03)
            signal = signal_at(distance, rng)
            if start <= at < end and signal >= -95:
                ssid = b"" if index == 0 or phone.family != "global" else b"home-network"
                yield at, probe_frame(phone.address, phone.sequence, signal, body, ssid)
            phone.sequence += 1
        phone.sequence += rng.randrange(10, 40)
        moment += phone.interval * rng.uniform(0.8, 1.2)


def simulate(
    scenario: Scenario, *, start: int, minutes: int, window_minutes: int = 5, seed: int = 1
) -> tuple[list[Frame], list[Truth]]:
    """All frames, in time order, and the truth per window."""
    rng = random.Random(seed)
    end = start + minutes * 60
    everyone = visits(scenario, start, end, rng)
    frames: list[Frame] = []
    windows = {w: Truth(w, w + window_minutes * 60) for w in range(start, end, window_minutes * 60)}
    heard: dict[int, set[int]] = {w: set() for w in windows}
    randomising: dict[int, set[int]] = {w: set() for w in windows}
    for number, phone in enumerate(everyone):
        for truth in windows.values():
            overlap = min(phone.leave, truth.end) - max(phone.arrive, truth.start)
            if overlap > 0:
                truth.people += 1
                truth.people_mean += overlap / (truth.end - truth.start)
                if phone.family != "none":
                    truth.phones += 1
        if phone.family == "none":
            continue
        for moment, frame in phone_frames(phone, start, end, rng):
            frames.append((moment, frame))
            if frame[12] - 256 >= HEARING_LIMIT:
                w = window_of(moment, window_minutes).start
                if w in heard:
                    heard[w].add(number)
                    if phone.family != "global":
                        randomising[w].add(number)
    for w, truth in windows.items():
        truth.devices_heard = len(heard[w])
        truth.randomising_heard = len(randomising[w])
    frames.sort(key=lambda f: f[0])
    return frames, list(windows.values())


def write(
    scenario: Scenario,
    out: Path,
    *,
    start: int,
    minutes: int,
    window_minutes: int = 5,
    seed: int = 1,
    randomising_share: float | None = None,
) -> tuple[Path, Path]:
    """Write `<scenario>.pcap` and `<scenario>-truth.csv` into a folder; returns both paths."""
    if randomising_share is not None:
        scenario = replace(scenario, randomising_share=randomising_share)
    frames, truths = simulate(
        scenario, start=start, minutes=minutes, window_minutes=window_minutes, seed=seed
    )
    out.mkdir(parents=True, exist_ok=True)
    capture = out / f"{scenario.name}.pcap"
    write_pcap(capture, frames)
    truth_path = out / f"{scenario.name}-truth.csv"
    with truth_path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            ["start", "end", "people", "people_mean", "phones", "devices_heard", "randomising_heard"]
        )
        for t in truths:
            writer.writerow(
                [
                    t.start,
                    t.end,
                    t.people,
                    f"{t.people_mean:.2f}",
                    t.phones,
                    t.devices_heard,
                    t.randomising_heard,
                ]
            )
    return capture, truth_path
