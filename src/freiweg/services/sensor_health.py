"""Sensor health for staff (gaps, software, clock, queue) and the public status (live or not)."""

from __future__ import annotations

from typing import Any, Final

from freiweg.services.clock import Clock, epoch
from freiweg.services.releases import ReleaseService
from freiweg.storage import health_queries
from freiweg.storage.unit_of_work import Database

WEEK: Final = 7 * 24 * 3600


def find_gaps(
    windows: list[tuple[int, int]], *, since: int, now: int, interval: int, tolerance: float
) -> list[dict[str, int]]:
    """Stretches longer than tolerance intervals without a count, between since and now."""
    gaps = []
    allowed = tolerance * interval
    previous_end = since
    for start, end in windows:
        if start - previous_end > allowed:
            gaps.append({"from": previous_end, "to": start, "seconds": start - previous_end})
        previous_end = max(previous_end, end)
    if now - previous_end > allowed:
        gaps.append({"from": previous_end, "to": now, "seconds": now - previous_end})
    return gaps


class SensorHealthService:
    """What staff see about each sensor's health, and what the public status page may show."""

    def __init__(self, *, database: Database, clock: Clock, tolerance: float) -> None:
        self._database = database
        self._clock = clock
        self._tolerance = tolerance
        self._releases = ReleaseService(database=database, clock=clock)

    def report(self) -> list[dict[str, Any]]:
        """Per sensor: last count, expected interval, gaps over 7 days, software check, clock, queue drops."""
        now = epoch(self._clock())
        with self._database.reading() as uow:
            rows = health_queries.sensor_rows(uow.connection)
            windows = health_queries.windows_since(uow.connection, now - WEEK)
        result = []
        for row in rows:
            own = windows.get(int(row.pk), [])
            last = own[-1][1] if own else None
            interval = int(row.interval_seconds)
            since = max(now - WEEK, int(row.created_at))
            gaps = find_gaps(own, since=since, now=now, interval=interval, tolerance=self._tolerance)
            software = self._releases.check(row.id)
            result.append(
                {
                    "id": row.id,
                    "area": row.area_id,
                    "kind": row.kind,
                    "status": row.status,
                    "interval_seconds": interval,
                    "last_count_end": last,
                    "live": self._live(row.status, last, interval, now),
                    "gaps_7d": len(gaps),
                    "gap_seconds_7d": sum(g["seconds"] for g in gaps),
                    "software": {
                        "state": software.state,
                        "reported_sha256": software.reported_sha256,
                        "release": software.release_version,
                    },
                    "clock_synced": None if row.clock_synced is None else bool(row.clock_synced),
                    "queue_dropped": None if row.queue_dropped is None else int(row.queue_dropped),
                }
            )
        return result

    def public_status(self) -> dict[str, Any]:
        """Which active sensors are live, per area, without internal detail."""
        sensors = [
            {"id": s["id"], "area": s["area"], "live": s["live"], "last_count_end": s["last_count_end"]}
            for s in self.report()
            if s["status"] == "active"
        ]
        return {
            "generated_at": epoch(self._clock()),
            "live": sum(1 for s in sensors if s["live"]),
            "total": len(sensors),
            "sensors": sensors,
        }

    def _live(self, status: str, last: int | None, interval: int, now: int) -> bool:
        return status == "active" and last is not None and now - last <= self._tolerance * interval
