"""The group planner's bookings: plans for tour groups and slots reserved under a group label only."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from freiweg.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from freiweg.guidance.planner import MAX_PLACES, Booking, NoPlan, Plan, fits, plan_group
from freiweg.guidance.routing import LEVEL_PENALTY
from freiweg.services.clock import Clock, epoch
from freiweg.services.guidance import GuidanceService, place_facts
from freiweg.storage.guidance_repository import GuidanceRepository
from freiweg.storage.unit_of_work import Database

MAX_GROUP = 60
MAX_LABEL = 80


class ReservationConflict(Conflict):
    """A plan or slot that cannot be had, with a reason key and the facts a page needs to say why."""

    def __init__(self, reason: str, message: str, **facts: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.facts = facts


class UnknownReservation(NotFound):
    """No active reservation has this number."""

    def __init__(self, reservation_id: int | str) -> None:
        super().__init__(f"no active reservation {reservation_id}")
        self.reservation_id = reservation_id


@dataclass(frozen=True)
class Reserved:
    """A stored reservation and the code that cancels it (shown once)."""

    id: int
    cancel_code: str
    facts: dict[str, Any]


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def check_group(label: str, size: int) -> None:
    """Refuse labels that are empty or too long and sizes outside 1..MAX_GROUP."""
    problems = []
    if not label.strip() or len(label) > MAX_LABEL:
        problems.append(
            FieldProblem(
                None,
                "group_label",
                f"give the group a label of 1 to {MAX_LABEL} characters, no names of people",
            )
        )
    if not 1 <= size <= MAX_GROUP:
        problems.append(FieldProblem(None, "group_size", f"must be from 1 to {MAX_GROUP}"))
    if problems:
        raise InvalidInput(problems, title="The reservation was not stored; nothing was changed.")


class ReservationService:
    """Planning visits for groups and reserving, listing and cancelling slots."""

    def __init__(self, *, database: Database, clock: Clock, guidance: GuidanceService) -> None:
        self._database = database
        self._clock = clock
        self._guidance = guidance

    def bookings(self, day: date) -> list[Booking]:
        """Every active reservation of a local day."""
        zone = self._guidance.zone
        start = datetime.combine(day, datetime.min.time(), zone)
        with self._database.reading() as reader:
            rows = GuidanceRepository(reader.connection).active_reservations(
                since=epoch(start), until=epoch(start + timedelta(days=1))
            )
        return [
            Booking(
                str(r["place_id"]),
                datetime.fromtimestamp(int(r["starts_at"]), zone),  # type: ignore[call-overload]
                datetime.fromtimestamp(int(r["ends_at"]), zone),  # type: ignore[call-overload]
                int(r["group_size"]),  # type: ignore[call-overload]
            )
            for r in rows
        ]

    def plan(self, *, place_ids: list[str], day: date, group_size: int) -> dict[str, Any]:
        """Propose an order and time slots for a group on a day."""
        check_group("plan", group_size)
        if not 1 <= len(place_ids) <= MAX_PLACES:
            raise InvalidInput([FieldProblem(None, "places", f"choose between 1 and {MAX_PLACES} places")])
        places = [self._guidance.place(p) for p in dict.fromkeys(place_ids)]
        usual = self._guidance.usual_day(day, sorted({p.area_id for p in places}))
        now = self._clock().astimezone(self._guidance.zone)

        penalties: dict[tuple[str, int], float] = {}  # the planner asks for the same hours many times

        def crowd_at(area_id: str, moment: datetime) -> float:
            key = (area_id, moment.hour)
            if key not in penalties:
                people = usual.get(area_id, {}).get(moment.hour)
                penalties[key] = LEVEL_PENALTY.get(self._guidance.level_of(area_id, people), 1.1)
            return penalties[key]

        try:
            found = plan_group(
                places,
                day=day,
                zone=self._guidance.zone,
                group_size=group_size,
                bookings=self.bookings(day),
                crowd_at=crowd_at,
                earliest=now if day == now.date() else None,
            )
        except NoPlan as error:
            raise ReservationConflict("no_plan", str(error)) from error
        return plan_facts(found, day=day, group_size=group_size)

    def reserve(self, *, place_id: str, group_label: str, group_size: int, starts_at: datetime) -> Reserved:
        """Reserve one visit slot; Conflict when the place is closed or full at that time."""
        return self.reserve_slots(
            slots=[(place_id, starts_at)], group_label=group_label, group_size=group_size
        )[0]

    def reserve_slots(
        self, *, slots: list[tuple[str, datetime]], group_label: str, group_size: int
    ) -> list[Reserved]:
        """Reserve several slots under one label and one cancel code: all of them or none."""
        check_group(group_label, group_size)
        if not 1 <= len(slots) <= MAX_PLACES:
            raise InvalidInput(
                [FieldProblem(None, "slots", f"reserve between 1 and {MAX_PLACES} slots at once")]
            )
        code = secrets.token_urlsafe(12)
        now = epoch(self._clock())
        zone = self._guidance.zone
        result = []
        with self._database.unit_of_work() as uow:
            repository = GuidanceRepository(uow.connection)
            for place_id, starts_at in slots:
                place = self._guidance.place(place_id)
                local = starts_at.astimezone(zone)
                ends_at = local + timedelta(minutes=place.visit_minutes)
                minute = local.hour * 60 + local.minute
                if ends_at.date() != local.date() or not place.opening_hours.open_between(
                    local.weekday(), minute, minute + place.visit_minutes
                ):
                    raise ReservationConflict(
                        "closed",
                        f"{place.name_en} is not open for the whole visit ({place.opening_hours.text})",
                        place={"de": place.name_de, "en": place.name_en},
                        hours=place.opening_hours.text,
                    )
                rows = repository.active_reservations(since=epoch(local), until=epoch(ends_at))
                booked = [
                    Booking(str(r["place_id"]), local, ends_at, int(r["group_size"]))  # type: ignore[call-overload]
                    for r in rows
                ]
                if not fits(place, booked, start=local, end=ends_at, group_size=group_size):
                    taken = sum(b.people for b in booked if b.place_id == place.id)
                    raise ReservationConflict(
                        "full",
                        f"{place.name_en} is full at {local:%H:%M}: {taken} of {place.capacity} places are "
                        "reserved; choose another time",
                        place={"de": place.name_de, "en": place.name_en},
                        time=f"{local:%H:%M}",
                        taken=taken,
                        capacity=place.capacity,
                    )
                reservation_id = repository.add_reservation(
                    place_id=place.id,
                    group_label=group_label.strip(),
                    group_size=group_size,
                    starts_at=epoch(local),
                    ends_at=epoch(ends_at),
                    cancel_hash=_hash(code),
                    now=now,
                )
                facts = {
                    "id": reservation_id,
                    "place": place_facts(place),
                    "group_label": group_label.strip(),
                    "group_size": group_size,
                    "starts_at": local.isoformat(),
                    "ends_at": ends_at.isoformat(),
                }
                result.append(Reserved(reservation_id, code, facts))
            uow.commit()
        return result

    def cancel(self, reservation_id: int, cancel_code: str) -> None:
        """Cancel a reservation with the code handed out when it was made."""
        with self._database.unit_of_work() as uow:
            repository = GuidanceRepository(uow.connection)
            found = repository.reservation(reservation_id)
            if found is None or found["cancelled_at"] is not None:
                raise UnknownReservation(reservation_id)
            if not hmac.compare_digest(str(found["cancel_hash"]), _hash(cancel_code)):
                raise ReservationConflict("wrong_code", "the cancel code does not match this reservation")
            repository.cancel(reservation_id, now=epoch(self._clock()))
            uow.commit()

    def day_overview(self, day: date) -> list[dict[str, Any]]:
        """Reserved people per place and slot on a day: labels and sizes are not published."""
        return [
            {
                "place_id": b.place_id,
                "starts_at": b.starts_at.isoformat(),
                "ends_at": b.ends_at.isoformat(),
                "people": b.people,
            }
            for b in self.bookings(day)
        ]


def plan_facts(plan: Plan, *, day: date, group_size: int) -> dict[str, Any]:
    """A plan as the pages and the API publish it."""
    return {
        "day": day.isoformat(),
        "group_size": group_size,
        "visits": [
            {
                "place": place_facts(v.place),
                "starts_at": v.starts_at.isoformat(),
                "ends_at": v.ends_at.isoformat(),
                "expected_penalty": round(v.expected_level, 2),
                "reserved_people": v.reserved_people,
            }
            for v in plan.visits
        ],
        "cost": round(plan.cost, 3),
    }
