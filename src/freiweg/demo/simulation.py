"""Simulated demo sensors: deterministic counts per window from real weekly profile shapes."""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from freiweg.demo.profiles import profile_for_area


@dataclass(frozen=True)
class SimulatedSensor:
    """A demo sensor: where it is, how often it reports and how full its area gets at the weekly peak."""

    id: str
    area_id: str
    kind: str
    interval_seconds: int
    peak_people: float
    factor: float
    low: float
    high: float
    lon: float
    lat: float
    outage_every_hours: int = 0
    outage_minutes: int = 0

    def silent_at(self, moment: datetime) -> bool:
        """True during the sensor's simulated outages (to show how silence looks)."""
        if not self.outage_every_hours:
            return False
        local_hour = moment.hour
        return local_hour % self.outage_every_hours == 0 and moment.minute < self.outage_minutes

    def devices(self, window_start: datetime, zone: ZoneInfo) -> int:
        """The device count of the window starting at window_start; the same window always gives the same."""
        local = window_start.astimezone(zone)
        middle = local + timedelta(seconds=self.interval_seconds / 2)
        shape = profile_for_area(self.area_id).at(middle.weekday(), middle.hour + middle.minute / 60)
        people = self.peak_people * shape
        mean_devices = people / self.factor
        seed = zlib.crc32(f"{self.id}|{int(window_start.timestamp())}".encode())
        noise = random.Random(seed).gauss(0.0, math.sqrt(max(mean_devices, 1.0)))
        return max(0, round(mean_devices + noise))


def window_starts(first: datetime, last: datetime, interval_seconds: int) -> list[datetime]:
    """Aligned window starts from first up to windows that end no later than last."""
    step = interval_seconds
    start = int(first.timestamp()) // step * step
    end_limit = int(last.timestamp())
    result = []
    while start + step <= end_limit:
        result.append(datetime.fromtimestamp(start, first.tzinfo))
        start += step
    return result
