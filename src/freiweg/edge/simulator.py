"""Simulated probe requests with ground truth: people pass or stay near sensors, some carry phones.

Phones behave like OS families seen in the field: a fixed global address; a random address per
scan burst with continuing sequence numbers (Android); a random address and random sequence numbers
per burst (iOS); a random address kept for the whole visit. Each family has several models whose
information elements differ. One or more sensors stand along a street; every call a phone sends
is heard by each sensor at the signal its distance allows. The simulator writes a radiotap pcap
per sensor and a CSV of the truth per window (per sensor when there are several).
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
CAPTURE_LIMIT = -95
ZONE = 60.0  # metres along the street on either side of a sensor: the area whose people it counts
SPACING = 50.0  # default distance between neighbouring sensors, metres
TRUTH_COLUMNS = ("people", "people_mean", "phones", "devices_heard", "randomising_heard")


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


@dataclass(frozen=True)
class Layout:
    """Sensors along a street, at positions in metres centred on 0; people walk its whole length.

    The street runs from `ZONE` metres before the first sensor to `ZONE` metres after the last.
    One sensor at 0 is the single-sensor model: passers walk 60 m up to it and 60 m on.
    """

    positions: tuple[float, ...] = (0.0,)

    @classmethod
    def street(cls, sensors: int, spacing: float = SPACING) -> Layout:
        """`sensors` sensors `spacing` metres apart, centred on 0."""
        if sensors < 1:
            raise ValueError("a street needs at least one sensor")
        if spacing <= 0:
            raise ValueError("the spacing between sensors must be positive")
        middle = (sensors - 1) / 2
        return cls(tuple((index - middle) * spacing for index in range(sensors)))

    @property
    def names(self) -> tuple[str, ...]:
        """The sensors' names: s1, s2, … from one end of the street to the other."""
        return tuple(f"s{index + 1}" for index in range(len(self.positions)))

    @property
    def reach(self) -> float:
        """Half the street's length: from its middle to either end."""
        return ZONE + (self.positions[-1] - self.positions[0]) / 2

    @property
    def scale(self) -> float:
        """The street's length relative to one sensor's; walking times and those who stay grow with it."""
        return self.reach / ZONE


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
    along: float = 0.0
    direction: float = 1.0

    def along_at(self, moment: float, layout: Layout) -> float:
        """Position along the street (metres); passers walk its whole length at a steady pace."""
        if not self.passing:
            return self.along
        middle = (self.arrive + self.leave) / 2
        half = (self.leave - self.arrive) / 2
        return self.direction * (layout.reach * (moment - middle) / max(half, 1.0))

    def in_zone(self, position: float, layout: Layout) -> tuple[float, float] | None:
        """When the person is within `ZONE` metres (along the street) of a sensor, if ever."""
        if not self.passing:
            return (self.arrive, self.leave) if abs(self.along - position) <= ZONE else None
        if position - ZONE <= -layout.reach and position + ZONE >= layout.reach:
            return self.arrive, self.leave
        middle = (self.arrive + self.leave) / 2
        half = max((self.leave - self.arrive) / 2, 1.0)
        ends = sorted(
            middle + half * (position + side) / (self.direction * layout.reach) for side in (-ZONE, ZONE)
        )
        first, last = max(ends[0], self.arrive), min(ends[1], self.leave)
        return (first, last) if first < last else None


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


def visits(
    scenario: Scenario,
    start: float,
    end: float,
    rng: random.Random,
    layout: Layout | None = None,
    where: random.Random | None = None,
) -> list[Phone]:
    """Everyone in range between start and end; people without a phone (or with Wi-Fi off) are family none.

    `distance` is how far from the line of sensors a person walks or stays. Where along the street
    a person stays and which way a passer walks come from `where`, so that one sensor's capture
    stays the same whatever the layout draws.
    """
    layout = layout or Layout()
    where = where or random.Random(0)
    people: list[Phone] = []
    warm = scenario.stay_seconds[1]
    moment = start - warm
    # Passers walk the whole street, so as many pass each sensor as pass a single one; those who
    # stay spread along it, so their number grows with the street's length.
    more = 1.0 + (1.0 - scenario.pass_share) * (layout.scale - 1.0)
    rate = scenario.arrivals_per_minute / 60.0 * more
    pass_share = scenario.pass_share / more
    while True:
        moment += rng.expovariate(rate)
        if moment >= end:
            return people
        passing = rng.random() < pass_share
        if passing:
            stay = rng.uniform(90.0, 180.0) * layout.scale
            distance = rng.uniform(3.0, 25.0)
        else:
            stay = rng.uniform(*scenario.stay_seconds)
            distance = rng.uniform(5.0, 60.0)
        if moment + stay < start:
            continue
        along = where.uniform(layout.positions[0], layout.positions[-1])
        direction = where.choice((-1.0, 1.0))
        if rng.random() >= scenario.phone_share:
            people.append(
                Phone("none", 0, moment, moment + stay, distance, passing, 0.0, b"", 0, along, direction)
            )
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
                along,
                direction,
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
    """The frames a single sensor (the one-sensor layout) hears from one phone between start and end."""
    for _, at, frame in heard_frames(phone, start, end, rng, Layout(), rng):
        yield at, frame


def heard_frames(
    phone: Phone, start: float, end: float, rng: random.Random, layout: Layout, noise: random.Random
) -> Iterator[tuple[int, float, bytes]]:
    """(sensor index, time, frame) for every call of one phone that a sensor hears between start and end.

    Each call is one transmission: every sensor hears the same address and sequence number, at the
    signal its own distance gives (the first sensor's noise from `rng`, the others' from `noise`).
    """
    body = elements(phone.family, phone.model)
    moment = phone.arrive + rng.uniform(0.0, phone.interval)
    sensors = range(len(layout.positions))
    while moment < phone.leave:
        if phone.family in ("android", "ios"):
            phone.address = random_address(rng)
        if phone.family == "ios":
            phone.sequence = rng.randrange(4096)
        heard = rng.choice((1, 1, 2, 2, 3))
        along = phone.along_at(moment, layout)
        distances = [
            math.hypot(phone.distance, along - position) if along != position else phone.distance
            for position in layout.positions
        ]
        for index in range(heard):
            at = moment + index * rng.uniform(0.005, 0.03)
            for sensor in sensors:
                signal = signal_at(distances[sensor], rng if sensor == 0 else noise)
                if start <= at < end and signal >= CAPTURE_LIMIT:
                    ssid = b"" if index == 0 or phone.family != "global" else b"home-network"
                    yield sensor, at, probe_frame(phone.address, phone.sequence, signal, body, ssid)
            phone.sequence += 1
        phone.sequence += rng.randrange(10, 40)
        moment += phone.interval * rng.uniform(0.8, 1.2)


def simulate(
    scenario: Scenario, *, start: int, minutes: int, window_minutes: int = 5, seed: int = 1
) -> tuple[list[Frame], list[Truth]]:
    """All frames of a single sensor, in time order, and the truth per window."""
    frames, truths = simulate_street(
        scenario, start=start, minutes=minutes, window_minutes=window_minutes, seed=seed
    )
    return frames[0], truths[0]


def simulate_street(
    scenario: Scenario,
    *,
    start: int,
    minutes: int,
    window_minutes: int = 5,
    seed: int = 1,
    layout: Layout | None = None,
) -> tuple[list[list[Frame]], list[list[Truth]]]:
    """Per sensor of the layout: all frames it hears, in time order, and its truth per window.

    A sensor's truth counts the people within `ZONE` metres of it along the street, and the
    phones it hears at `HEARING_LIMIT` or stronger (the truth for its device estimate).
    """
    layout = layout or Layout()
    rng = random.Random(seed)
    noise = random.Random(f"{seed}-noise")
    end = start + minutes * 60
    everyone = visits(scenario, start, end, rng, layout, random.Random(f"{seed}-where"))
    sensors = range(len(layout.positions))
    starts = range(start, end, window_minutes * 60)
    frames: list[list[Frame]] = [[] for _ in sensors]
    truths = [{w: Truth(w, w + window_minutes * 60) for w in starts} for _ in sensors]
    heard: list[dict[int, set[int]]] = [{w: set() for w in starts} for _ in sensors]
    randomising: list[dict[int, set[int]]] = [{w: set() for w in starts} for _ in sensors]
    for number, phone in enumerate(everyone):
        for sensor, position in enumerate(layout.positions):
            near = phone.in_zone(position, layout)
            if near is None:
                continue
            for truth in truths[sensor].values():
                overlap = min(near[1], truth.end) - max(near[0], truth.start)
                if overlap > 0:
                    truth.people += 1
                    truth.people_mean += overlap / (truth.end - truth.start)
                    if phone.family != "none":
                        truth.phones += 1
        if phone.family == "none":
            continue
        for sensor, moment, frame in heard_frames(phone, start, end, rng, layout, noise):
            frames[sensor].append((moment, frame))
            if frame[12] - 256 >= HEARING_LIMIT:
                w = window_of(moment, window_minutes).start
                if w in heard[sensor]:
                    heard[sensor][w].add(number)
                    if phone.family != "global":
                        randomising[sensor][w].add(number)
    for sensor in sensors:
        for w, truth in truths[sensor].items():
            truth.devices_heard = len(heard[sensor][w])
            truth.randomising_heard = len(randomising[sensor][w])
        frames[sensor].sort(key=lambda f: f[0])
    return frames, [list(t.values()) for t in truths]


def truth_row(truth: Truth) -> list[object]:
    """One sensor's truth of one window, in the order of `TRUTH_COLUMNS`."""
    return [
        truth.people,
        f"{truth.people_mean:.2f}",
        truth.phones,
        truth.devices_heard,
        truth.randomising_heard,
    ]


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
    captures, truth_path = write_street(
        scenario,
        out,
        start=start,
        minutes=minutes,
        window_minutes=window_minutes,
        seed=seed,
        randomising_share=randomising_share,
    )
    return captures[0], truth_path


def write_street(
    scenario: Scenario,
    out: Path,
    *,
    start: int,
    minutes: int,
    window_minutes: int = 5,
    seed: int = 1,
    randomising_share: float | None = None,
    layout: Layout | None = None,
) -> tuple[list[Path], Path]:
    """Write one pcap per sensor and `<scenario>-truth.csv` into a folder; returns their paths.

    One sensor: `<scenario>.pcap` and the truth columns `start, end, people, …`. Several:
    `<scenario>-s1.pcap`, `<scenario>-s2.pcap`, … and the truth columns `s1_people, s1_phones, …`
    per sensor.
    """
    layout = layout or Layout()
    if randomising_share is not None:
        scenario = replace(scenario, randomising_share=randomising_share)
    frames, truths = simulate_street(
        scenario, start=start, minutes=minutes, window_minutes=window_minutes, seed=seed, layout=layout
    )
    out.mkdir(parents=True, exist_ok=True)
    single = len(layout.positions) == 1
    captures = []
    for name, heard in zip(layout.names, frames, strict=True):
        capture = out / (f"{scenario.name}.pcap" if single else f"{scenario.name}-{name}.pcap")
        write_pcap(capture, heard)
        captures.append(capture)
    truth_path = out / f"{scenario.name}-truth.csv"
    with truth_path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        prefixes = [""] if single else [f"{name}_" for name in layout.names]
        writer.writerow(["start", "end", *(p + c for p in prefixes for c in TRUTH_COLUMNS)])
        for row in zip(*truths, strict=True):
            writer.writerow([row[0].start, row[0].end, *(v for t in row for v in truth_row(t))])
    return captures, truth_path
