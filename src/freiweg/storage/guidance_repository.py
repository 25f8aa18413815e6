"""Reading and writing places, the walking graph and reservations."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from freiweg.guidance.graph import Footway, Junction, WalkingGraph
from freiweg.guidance.places import Place, PlaceCategory, parse_opening_hours
from freiweg.storage.guidance_tables import places, reservations, walking_footways, walking_junctions


def place_from_row(row: object) -> Place:
    """A place from its table row."""
    m = row._mapping  # type: ignore[attr-defined]
    return Place(
        id=m["id"],
        name_de=m["name_de"],
        name_en=m["name_en"],
        category=PlaceCategory(m["category"]),
        area_id=m["area_id"],
        lon=m["lon"],
        lat=m["lat"],
        opening_hours=parse_opening_hours(m["opening_hours"]),
        capacity=m["capacity"],
        visit_minutes=m["visit_minutes"],
    )


class GuidanceRepository:
    """Places, the walking graph and reservations in one transaction."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # -- places -------------------------------------------------------------------------------

    def save_place(self, place: Place, *, now: int) -> bool:
        """Insert or update a place; True when it was new."""
        values = {
            "name_de": place.name_de,
            "name_en": place.name_en,
            "category": place.category.value,
            "area_id": place.area_id,
            "lon": place.lon,
            "lat": place.lat,
            "opening_hours": place.opening_hours.text,
            "capacity": place.capacity,
            "visit_minutes": place.visit_minutes,
            "updated_at": now,
        }
        if self._c.execute(select(places.c.id).where(places.c.id == place.id)).first():
            self._c.execute(update(places).where(places.c.id == place.id).values(**values))
            return False
        self._c.execute(insert(places).values(id=place.id, created_at=now, **values))
        return True

    def place(self, place_id: str) -> Place | None:
        """The place with this id, or None."""
        row = self._c.execute(select(places).where(places.c.id == place_id)).first()
        return place_from_row(row) if row else None

    def all_places(self) -> list[Place]:
        """Every place, ordered by id."""
        return [place_from_row(r) for r in self._c.execute(select(places).order_by(places.c.id))]

    def remove_place(self, place_id: str) -> bool:
        """Delete a place without reservations; True when it existed."""
        return bool(self._c.execute(delete(places).where(places.c.id == place_id)).rowcount)

    # -- walking graph -----------------------------------------------------------------------

    def replace_graph(self, graph: WalkingGraph) -> None:
        """Store graph instead of the one stored before."""
        self._c.execute(delete(walking_footways))
        self._c.execute(delete(walking_junctions))
        self._c.execute(
            insert(walking_junctions),
            [{"id": j.id, "lon": j.lon, "lat": j.lat} for j in graph.junctions.values()],
        )
        self._c.execute(
            insert(walking_footways),
            [
                {
                    "source": w.source,
                    "target": w.target,
                    "length_m": w.length_m,
                    "name": w.name,
                    "area_id": w.area_id,
                }
                for w in graph.footways
            ],
        )

    def graph(self) -> WalkingGraph | None:
        """The stored walking graph, or None when none was imported."""
        junctions = [Junction(r.id, r.lon, r.lat) for r in self._c.execute(select(walking_junctions))]
        if not junctions:
            return None
        footways = [
            Footway(r.source, r.target, r.length_m, r.name, r.area_id)
            for r in self._c.execute(select(walking_footways).order_by(walking_footways.c.id))
        ]
        return WalkingGraph(junctions, footways)

    # -- reservations ------------------------------------------------------------------------

    def add_reservation(
        self,
        *,
        place_id: str,
        group_label: str,
        group_size: int,
        starts_at: int,
        ends_at: int,
        cancel_hash: str,
        now: int,
    ) -> int:
        """Store a reservation; return its number."""
        result = self._c.execute(
            insert(reservations).values(
                place_id=place_id,
                group_label=group_label,
                group_size=group_size,
                starts_at=starts_at,
                ends_at=ends_at,
                cancel_hash=cancel_hash,
                created_at=now,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def active_reservations(self, *, since: int, until: int) -> list[dict[str, object]]:
        """Reservations not cancelled that overlap [since, until)."""
        rows = self._c.execute(
            select(reservations)
            .where(reservations.c.cancelled_at.is_(None))
            .where(reservations.c.starts_at < until)
            .where(reservations.c.ends_at > since)
            .order_by(reservations.c.starts_at, reservations.c.id)
        )
        return [dict(r._mapping) for r in rows]

    def reservation(self, reservation_id: int) -> dict[str, object] | None:
        """One reservation, or None."""
        row = self._c.execute(select(reservations).where(reservations.c.id == reservation_id)).first()
        return dict(row._mapping) if row else None

    def cancel(self, reservation_id: int, *, now: int) -> None:
        """Mark a reservation cancelled."""
        self._c.execute(
            update(reservations).where(reservations.c.id == reservation_id).values(cancelled_at=now)
        )
