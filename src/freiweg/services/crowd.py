"""The live crowd picture per area, computed from the read models and cached per data revision.

Every answer is a pure function of the stored data and of which time segment "now" falls in
(segments end when a sensor goes silent, at every full hour and at midnight), so several server
processes on one database give identical answers; a process only memoises the newest answer and
checks the revision, a single-row read, on every request.
"""

from __future__ import annotations

import gzip
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from freiweg.domain.areas import Area
from freiweg.domain.calibration import Calibration, calibration_at
from freiweg.domain.counts import CountKind
from freiweg.domain.crowd import (
    AreaCrowding,
    SensorReading,
    assess_area,
    compare_with_usual,
    usual_people,
)
from freiweg.domain.sensors import SensorKind
from freiweg.services.clock import Clock, epoch
from freiweg.storage.read_models import (
    SensorState,
    active_sensor_states,
    bucketed_counts,
    hourly_presence,
)
from freiweg.storage.unit_of_work import Database, UnitOfWork

USUAL_WEEKS = 8
SERIES_BUCKET_SECONDS = 900
PRESENCE_KINDS = frozenset(k for k in SensorKind if k is not SensorKind.PASSAGE)


@dataclass
class Snapshot:
    """One computed answer, valid for one data revision within one time segment."""

    revision: int
    valid_from: int
    valid_until: int
    payload: dict[str, Any]
    _body: bytes | None = field(default=None, repr=False)
    _gzipped: bytes | None = field(default=None, repr=False)

    @property
    def etag(self) -> str:
        """An entity tag that changes whenever the answer can change."""
        return f'"{self.revision}-{self.valid_until}"'

    def body(self) -> bytes:
        """The payload as JSON bytes, serialised once."""
        if self._body is None:
            self._body = orjson.dumps(self.payload)
        return self._body

    def gzipped(self) -> bytes:
        """The JSON bytes gzip-compressed, compressed once for every request that accepts gzip."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body(), compresslevel=6, mtime=0)
        return self._gzipped

    def serves(self, revision: int, now: int) -> bool:
        """True when this answer is still the answer for revision at now."""
        return self.revision == revision and self.valid_from <= now < self.valid_until


def calibrations_by_sensor(calibrations: list[Calibration]) -> dict[str, list[Calibration]]:
    """Calibrations grouped by sensor, so that looking one up does not scan all of them."""
    grouped: dict[str, list[Calibration]] = defaultdict(list)
    for calibration in calibrations:
        grouped[calibration.sensor_id].append(calibration)
    return grouped


class CrowdService:
    """People, density, level and freshness per area, now and for today."""

    def __init__(
        self,
        *,
        database: Database,
        clock: Clock,
        timezone: str,
        stale_after_intervals: float,
        demo: bool,
    ) -> None:
        self._database = database
        self._clock = clock
        self._zone = ZoneInfo(timezone)
        self._stale_after = stale_after_intervals
        self._demo = demo
        self._overview: Snapshot | None = None
        self._details: dict[str, Snapshot] = {}
        self._lock = threading.Lock()
        self._computing = threading.Lock()

    # -- public -----------------------------------------------------------------------------

    def memoised_overview(self) -> Snapshot | None:
        """The memoised overview if it is still the answer now, else None; one quick query."""
        cached = self._overview
        if cached is None:
            return None
        if cached.serves(self._database.peek_revision(), epoch(self._clock())):
            return cached
        return None

    def overview(self) -> Snapshot:
        """Every area with its crowd picture now."""
        cached = self.memoised_overview()
        if cached is not None:
            return cached
        # One computation at a time: requests that arrive while the answer for a new revision is
        # being computed wait for it instead of all computing the same answer side by side.
        with self._computing:
            now = epoch(self._clock())
            with self._database.reading() as reader:
                revision = reader.revision.current()
                cached = self._overview
                if cached is not None and cached.serves(revision, now):
                    return cached
                snapshot = self._compute_overview(reader, revision, now)
            with self._lock:
                self._overview = snapshot
        return snapshot

    def area(self, area_id: str) -> Snapshot | None:
        """One area's crowd picture now and today's measured series, or None if unknown."""
        now = epoch(self._clock())
        with self._database.reading() as reader:
            revision = reader.revision.current()
            cached = self._details.get(area_id)
            if cached is not None and cached.serves(revision, now):
                return cached
            overview = self._compute_overview(reader, revision, now)
            entry = next((a for a in overview.payload["areas"] if a["id"] == area_id), None)
            if entry is None:
                return None
            series = self._today_series(reader, area_id, now)
        payload = {**entry, "demo": self._demo, "revision": revision, "today": series}
        snapshot = Snapshot(revision, overview.valid_from, overview.valid_until, payload)
        with self._lock:
            if len(self._details) > 1024:
                self._details.clear()
            self._details[area_id] = snapshot
        return snapshot

    # -- computing --------------------------------------------------------------------------

    def _compute_overview(self, reader: UnitOfWork, revision: int, now: int) -> Snapshot:
        areas = reader.areas.all()
        states = active_sensor_states(reader.connection)
        calibrations = reader.calibrations.all()
        by_sensor = calibrations_by_sensor(calibrations)
        by_area: dict[str, list[SensorState]] = defaultdict(list)
        for state in states:
            if state.kind in PRESENCE_KINDS:
                by_area[state.area_id].append(state)
        usual_hours = self._usual_hours(now)
        usual_rows = hourly_presence(reader.connection, [h for _, h in usual_hours])
        week_of_hour = {h: k for k, h in usual_hours}
        weekly: dict[int, dict[int, float]] = defaultdict(dict)  # sensor pk -> week -> mean
        for sensor_pk, hour_start, mean in usual_rows:
            weekly[sensor_pk][week_of_hour[hour_start]] = mean

        entries = []
        boundaries = [self._next_hour(now)]
        for area in areas:
            sensors_here = by_area.get(area.id, [])
            readings = [
                self._reading(state, by_sensor)
                for state in sensors_here
                if state.window_end is not None and state.value is not None
            ]
            crowding = assess_area(
                readings,
                sensor_count=len(sensors_here),
                walkable_m2=area.walkable_m2,
                thresholds=area.thresholds,
                now=now,
                stale_after_intervals=self._stale_after,
            )
            if crowding.stale_at is not None:
                boundaries.append(crowding.stale_at)
            usual = self._usual(sensors_here, weekly, by_sensor, usual_hours)
            entries.append(self._area_entry(area, crowding, usual))
        for calibration in calibrations:
            for moment in (calibration.valid_from, calibration.valid_until):
                if moment is not None and moment > now:
                    boundaries.append(moment)
        valid_until = min(boundaries)
        payload = {"demo": self._demo, "revision": revision, "areas": entries}
        return Snapshot(revision, now, valid_until, payload)

    def _reading(self, state: SensorState, by_sensor: dict[str, list[Calibration]]) -> SensorReading:
        assert state.window_end is not None and state.value is not None
        calibration = calibration_at(by_sensor.get(state.id, []), sensor_id=state.id, moment=state.window_end)
        return SensorReading(
            sensor_id=state.id,
            devices=state.value,
            window_end=state.window_end,
            interval_seconds=state.interval_seconds,
            factor=calibration.factor,
            factor_low=calibration.low,
            factor_high=calibration.high,
        )

    def _usual_hours(self, now: int) -> list[tuple[int, int]]:
        """(weeks back, UTC hour start) of this local weekday and hour in past weeks."""
        local = datetime.fromtimestamp(now, self._zone).replace(minute=0, second=0, microsecond=0)
        result = []
        for weeks in range(1, USUAL_WEEKS + 1):
            earlier = (local.replace(tzinfo=None) - timedelta(weeks=weeks)).replace(tzinfo=self._zone)
            result.append((weeks, epoch(earlier)))
        return result

    def _usual(
        self,
        sensors_here: list[SensorState],
        weekly: dict[int, dict[int, float]],
        by_sensor: dict[str, list[Calibration]],
        usual_hours: list[tuple[int, int]],
    ) -> float | None:
        values = []
        for weeks, hour_start in usual_hours:
            total = 0.0
            seen = False
            for state in sensors_here:
                mean = weekly.get(state.pk, {}).get(weeks)
                if mean is None:
                    continue
                seen = True
                own = by_sensor.get(state.id, [])
                total += mean * calibration_at(own, sensor_id=state.id, moment=hour_start).factor
            if seen:
                values.append(total)
        return usual_people(values)

    def _next_hour(self, now: int) -> int:
        return now - now % 3600 + 3600

    def _iso(self, moment: int | None) -> str | None:
        if moment is None:
            return None
        return datetime.fromtimestamp(moment, self._zone).isoformat()

    def _area_entry(self, area: Area, crowding: AreaCrowding, usual: float | None) -> dict[str, Any]:
        people = None
        comparison = None
        if crowding.people is not None:
            people = {
                "estimate": round(crowding.people.value),
                "low": round(crowding.people.low),
                "high": round(crowding.people.high),
                "interval": 0.8,
            }
            comparison = compare_with_usual(crowding.people.value, usual)
        return {
            "id": area.id,
            "name": {"de": area.name_de, "en": area.name_en},
            "category": area.category.value,
            "quiet_zone": area.quiet_zone,
            "geometry": {
                "type": "Polygon",
                "coordinates": [list(map(list, r)) for r in area.rings],
            },
            "walkable_m2": round(area.walkable_m2, 1),
            "status": crowding.status.value,
            "level": crowding.level.value if crowding.level else None,
            "people": people,
            "density": round(crowding.density, 4) if crowding.density is not None else None,
            "thresholds": [round(t, 4) for t in area.thresholds.as_list()],
            "updated_at": self._iso(crowding.updated_at),
            "last_data_at": self._iso(crowding.last_data_at),
            "usual": (
                {"comparison": comparison.value, "usual_people": round(usual)}
                if comparison is not None and usual is not None
                else None
            ),
            "sensors": {"live": crowding.fresh_sensors, "silent": crowding.silent_sensors},
        }

    def _today_series(self, reader: UnitOfWork, area_id: str, now: int) -> list[dict[str, Any]]:
        states = [s for s in active_sensor_states(reader.connection) if s.area_id == area_id]
        if not states:
            return []
        local = datetime.fromtimestamp(now, self._zone)
        midnight = epoch(local.replace(hour=0, minute=0, second=0, microsecond=0))
        tomorrow = epoch(
            (
                local.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
            ).replace(tzinfo=self._zone)
        )
        by_sensor = calibrations_by_sensor(reader.calibrations.all())
        by_pk = {s.pk: s for s in states}
        buckets = bucketed_counts(
            reader.connection,
            list(by_pk),
            since=midnight,
            until=tomorrow,
            width=SERIES_BUCKET_SECONDS,
        )
        people: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
        passages: dict[int, int] = defaultdict(int)
        for b in buckets:
            start = midnight + b.bucket * SERIES_BUCKET_SECONDS
            if b.kind == CountKind.PRESENCE.value:
                state = by_pk[b.sensor_pk]
                cal = calibration_at(by_sensor.get(state.id, []), sensor_id=state.id, moment=start)
                mean = b.total / b.windows
                cell = people[b.bucket]
                cell[0] += mean * cal.factor
                cell[1] += mean * cal.low
                cell[2] += mean * cal.high
                cell[3] += 1
            else:
                passages[b.bucket] += b.total
        series = []
        for bucket in sorted(set(people) | set(passages)):
            found = people.get(bucket)
            series.append(
                {
                    "start": self._iso(midnight + bucket * SERIES_BUCKET_SECONDS),
                    "end": self._iso(midnight + (bucket + 1) * SERIES_BUCKET_SECONDS),
                    "people": (
                        {
                            "estimate": round(found[0]),
                            "low": round(found[1]),
                            "high": round(found[2]),
                            "sensors": int(found[3]),
                        }
                        if found
                        else None
                    ),
                    "passages": passages.get(bucket),
                }
            )
        return series
