"""Counting one window: pseudonymise each address on arrival, then estimate the devices behind them.

Globally administered addresses are one device each. Randomised (locally administered) addresses
are grouped, within the window only, by a keyed fingerprint of the probe's information elements
(without the SSID and channel), then chained into devices by sequence-number continuity and, for
phones that also randomise sequence numbers, by burst timing and signal strength. Machines heard
across the whole window at strong signal in a steady rhythm can be dropped as fixed installations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from freiweg.edge.frames import Malformed, elements, header
from freiweg.privacy.keyed import WindowKey
from freiweg.privacy.windows import Window

SEQUENCE_SPACE = 4096
BURST_SECONDS = 2.0


@dataclass(frozen=True)
class Tuning:
    """The estimator's parameters; published with the sensor's configuration."""

    min_signal: int = -90
    max_gap: float = 120.0
    min_gap: float = 8.0
    sequence_slack: int = 64
    sequence_rate: float = 0.5
    signal_slack: int = 16
    drop_fixed: bool = False
    fixed_share: float = 0.75
    fixed_min_signal: int = -60
    fixed_jitter: float = 2.0


class Track:
    """What one pseudonymous address did in this window."""

    __slots__ = (
        "bursts",
        "fingerprint",
        "first",
        "first_sequence",
        "frames",
        "gap_squares",
        "gap_sum",
        "last",
        "last_sequence",
        "randomised",
        "signal",
    )

    def __init__(
        self, moment: float, sequence: int, signal: int, fingerprint: bytes, randomised: bool
    ) -> None:
        self.first = self.last = moment
        self.first_sequence = self.last_sequence = sequence
        self.signal = signal
        self.fingerprint = fingerprint
        self.randomised = randomised
        self.frames = 1
        self.bursts = 1
        self.gap_sum = 0.0
        self.gap_squares = 0.0

    def regular(self, jitter: float) -> bool:
        """Whether the address sent at least four bursts at a steady rhythm (a machine, not a phone)."""
        gaps = self.bursts - 1
        if gaps < 3:
            return False
        mean = self.gap_sum / gaps
        return self.gap_squares / gaps - mean * mean <= jitter * jitter


class Device:
    """One estimated device: a global address, or a chain of randomised addresses."""

    __slots__ = ("dwell", "first", "last", "last_sequence", "linked_by_sequence", "regular", "signal")

    def __init__(self, track: Track, *, regular: bool = False) -> None:
        self.first = track.first
        self.last = track.last
        self.last_sequence = track.last_sequence
        self.signal = track.signal
        self.linked_by_sequence = False
        self.dwell = track.last - track.first
        self.regular = regular

    def extend(self, track: Track, *, by_sequence: bool) -> None:
        """Add the next address of the same device; only a sequence link vouches for the time between."""
        self.dwell += (track.last - self.last) if by_sequence else (track.last - track.first)
        self.last = track.last
        self.last_sequence = track.last_sequence
        self.signal = max(self.signal, track.signal)
        self.linked_by_sequence = self.linked_by_sequence or by_sequence


@dataclass
class WindowCount:
    """Counts of one window: what leaves the box (no identifiers, no pseudonyms)."""

    window: Window
    frames: int = 0
    probes: int = 0
    malformed: int = 0
    weak: int = 0
    addresses: int = 0
    global_addresses: int = 0
    randomised_addresses: int = 0
    global_devices: int = 0
    randomised_devices: int = 0
    fixed: int = 0
    present: float = 0.0
    partial: bool = False
    quality: list[str] = field(default_factory=list)

    @property
    def devices(self) -> int:
        """The device estimate: global plus randomised devices, without fixed installations."""
        return self.global_devices + self.randomised_devices

    def as_line(self) -> dict[str, Any]:
        """The JSON line the agent prints and logs for this window."""
        from datetime import UTC, datetime

        return {
            "start": datetime.fromtimestamp(self.window.start, UTC).isoformat(),
            "end": datetime.fromtimestamp(self.window.end, UTC).isoformat(),
            "devices": self.devices,
            "present": round(self.present, 2),
            "components": {
                "global_devices": self.global_devices,
                "randomised_devices": self.randomised_devices,
                "fixed_dropped": self.fixed,
            },
            "addresses": {
                "total": self.addresses,
                "global": self.global_addresses,
                "randomised": self.randomised_addresses,
            },
            "frames": {
                "total": self.frames,
                "probes": self.probes,
                "malformed": self.malformed,
                "too_weak": self.weak,
            },
            "partial": self.partial,
            "quality": self.quality,
        }


class WindowCounter:
    """Everything the agent holds about one window; `close` returns counts and destroys the rest."""

    def __init__(self, window: Window, tuning: Tuning = Tuning()) -> None:
        self.window = window
        self.tuning = tuning
        self._key: WindowKey | None = WindowKey()
        self._tracks: dict[bytes, Track] = {}
        self.count = WindowCount(window)

    def observe(self, moment: float, frame: bytes) -> None:
        """Parse one radiotap frame and, if it is a probe request, record it under a pseudonym."""
        count = self.count
        count.frames += 1
        try:
            found = header(frame)
        except Malformed:
            count.malformed += 1
            return
        if found is None:
            return
        address, sequence, signal, start, end = found
        if address[0] & 0x01:
            count.malformed += 1
            return
        count.probes += 1
        if signal < self.tuning.min_signal:
            count.weak += 1
            return
        key = self._key
        assert key is not None, "observe after close"
        pseudonym = key.pseudonym(address)
        track = self._tracks.get(pseudonym)
        if track is None:
            randomised = bool(address[0] & 0x02)
            fingerprint = key.pseudonym(elements(frame, start, end)) if randomised else b""
            self._tracks[pseudonym] = Track(moment, sequence, signal, fingerprint, randomised)
        else:
            gap = moment - track.last
            if gap > BURST_SECONDS:
                track.bursts += 1
                track.gap_sum += gap
                track.gap_squares += gap * gap
            track.last = moment
            track.last_sequence = sequence
            track.frames += 1
            if signal > track.signal:
                track.signal = signal

    def close(self) -> WindowCount:
        """Estimate devices, then forget every pseudonym and the window's key."""
        count = self.count
        tracks = list(self._tracks.values())
        self._tracks.clear()
        if self._key is not None:
            self._key.forget()
            self._key = None
        count.addresses = len(tracks)
        groups: dict[bytes, list[Track]] = {}
        global_devices: list[Device] = []
        for track in tracks:
            if track.randomised:
                groups.setdefault(track.fingerprint, []).append(track)
            else:
                global_devices.append(Device(track, regular=track.regular(self.tuning.fixed_jitter)))
        count.global_addresses = len(global_devices)
        count.randomised_addresses = count.addresses - count.global_addresses
        randomised_devices: list[Device] = []
        for group in groups.values():
            randomised_devices.extend(chain(group, self.tuning))
        tracks.clear()
        groups.clear()
        global_devices = self._without_fixed(global_devices)
        randomised_devices = self._without_fixed(randomised_devices)
        count.global_devices = len(global_devices)
        count.randomised_devices = len(randomised_devices)
        length = self.window.seconds
        count.present = sum(min(1.0, d.dwell / length) for d in global_devices + randomised_devices)
        return count

    def _without_fixed(self, devices: list[Device]) -> list[Device]:
        tuning = self.tuning
        if not tuning.drop_fixed:
            return devices
        margin = self.window.seconds * (1 - tuning.fixed_share)
        kept = [
            d
            for d in devices
            if not (
                d.first - self.window.start <= margin
                and self.window.end - d.last <= margin
                and d.signal >= tuning.fixed_min_signal
                and d.regular
            )
        ]
        self.count.fixed += len(devices) - len(kept)
        return kept


def chain(group: list[Track], tuning: Tuning) -> list[Device]:
    """Chain the randomised addresses of one fingerprint group into devices.

    First by sequence numbers that continue from one address to the next; then the addresses
    left alone (phones that also randomise sequence numbers) by burst timing and signal strength.
    """
    group.sort(key=lambda t: t.first)
    reach = tuning.sequence_slack + int(tuning.sequence_rate * tuning.max_gap) + 1
    bucket_size = max(reach, 1)
    buckets: dict[int, list[Device]] = {}
    devices: list[Device] = []
    for track in group:
        best: Device | None = None
        best_step = SEQUENCE_SPACE
        here = track.first_sequence // bucket_size
        previous = here - 1 if here > 0 else (SEQUENCE_SPACE - 1) // bucket_size
        for index in (here, previous):
            for device in buckets.get(index, ()):
                gap = track.first - device.last
                if gap < 0 or gap > tuning.max_gap:
                    continue
                step = (track.first_sequence - device.last_sequence) % SEQUENCE_SPACE
                if 0 < step <= tuning.sequence_slack + tuning.sequence_rate * gap and step < best_step:
                    best, best_step = device, step
        if best is not None:
            buckets[best.last_sequence // bucket_size].remove(best)
            best.extend(track, by_sequence=True)
        else:
            best = Device(track)
            devices.append(best)
        buckets.setdefault(best.last_sequence // bucket_size, []).append(best)
    chained = [d for d in devices if d.linked_by_sequence]
    return chained + chain_by_timing([d for d in devices if not d.linked_by_sequence], tuning)


def chain_by_timing(singles: list[Device], tuning: Tuning) -> list[Device]:
    """Join addresses into devices by burst rhythm: each joins the longest-waiting similar device."""
    timed: list[Device] = []
    waiting: dict[int, Device] = {}
    for single in singles:
        joined: Device | None = None
        for key, device in list(waiting.items()):
            gap = single.first - device.last
            if gap > tuning.max_gap:
                del waiting[key]
                continue
            if gap < tuning.min_gap:
                break
            if abs(single.signal - device.signal) <= tuning.signal_slack:
                joined = device
                del waiting[key]
                break
        if joined is not None:
            joined.dwell += single.dwell
            joined.last = single.last
            joined.signal = max(joined.signal, single.signal)
        else:
            joined = single
            timed.append(single)
        waiting[id(joined)] = joined
    return timed
