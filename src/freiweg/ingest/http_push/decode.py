"""Turning the JSON push format into domain counts, naming every bad item and field at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    TypeAdapter,
    ValidationError,
)

from freiweg.domain.counts import Count, CountKind, Direction, Quality, check_counts, epoch_seconds
from freiweg.domain.errors import FieldProblem, InvalidInput
from freiweg.domain.reports import AgentReport, Upload

MAX_COUNTS = 10_000
REJECTED = "The batch was rejected; no count of it was stored."


QualityName = Literal["estimated", "clock_uncertain", "partial_window", "decoder_disagreement", "queue_drops"]
QUALITY_FLAGS: dict[str, Quality] = {name.lower(): flag for name, flag in Quality.__members__.items() if flag}


class CountIn(BaseModel):
    """One window's count as a sensor sends it."""

    model_config = ConfigDict(extra="forbid")

    start: AwareDatetime = Field(description="Window start, ISO 8601 with a UTC offset.")
    end: AwareDatetime = Field(description="Window end, after start and at most one hour later.")
    kind: CountKind = Field(description="presence (distinct devices in the window) or passage.")
    value: StrictInt = Field(description="The count, zero or more.")
    direction: Direction | None = Field(default=None, description="in or out, for passages.")
    quality: list[QualityName] = Field(default_factory=list, description="Flags on this count, if any.")


class AgentIn(BaseModel):
    """What the uploading software says about itself (edge agents send it with every upload)."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(max_length=64, description="The agent's version.")
    code_sha256: str = Field(pattern="^[0-9a-f]{64}$", description="SHA-256 of the installed code.")
    config_sha256: str = Field(
        pattern="^[0-9a-f]{64}$", description="SHA-256 of the effective configuration."
    )
    clock_synced: bool = Field(description="Whether the clock is synchronised (NTP or GNSS).")
    queue_dropped: int = Field(ge=0, description="Counts dropped so far because the local queue was full.")


class CountBatch(BaseModel):
    """Up to 10,000 counts of one sensor, optionally with the agent's report."""

    model_config = ConfigDict(extra="forbid")

    counts: list[CountIn] = Field(max_length=MAX_COUNTS)
    agent: AgentIn | None = None


BATCH = TypeAdapter(CountBatch)
ITEM = TypeAdapter(CountIn)
AGENT = TypeAdapter(AgentIn)


def _count(item: CountIn) -> Count:
    quality = Quality.NONE
    for name in item.quality:
        quality |= QUALITY_FLAGS[name]
    return Count(
        start=epoch_seconds(item.start),
        end=epoch_seconds(item.end),
        kind=item.kind,
        value=item.value,
        direction=item.direction,
        quality=quality,
    )


def _agent(agent: AgentIn | None) -> AgentReport | None:
    if agent is None:
        return None
    return AgentReport(
        agent.version, agent.code_sha256, agent.config_sha256, agent.clock_synced, agent.queue_dropped
    )


def _location(loc: tuple[Any, ...]) -> tuple[int | None, str]:
    if len(loc) >= 2 and loc[0] == "counts" and isinstance(loc[1], int):
        return loc[1], ".".join(str(p) for p in loc[2:]) or "item"
    return None, ".".join(str(p) for p in loc) or "body"


ITEM_FIELDS = frozenset(("start", "end", "kind", "value", "direction", "quality"))
BATCH_FIELDS = frozenset(("counts", "agent"))
REQUIRED_FIELDS = frozenset(("start", "end", "kind", "value"))
KINDS = {k.value: k for k in CountKind}
DIRECTIONS = {d.value: d for d in Direction}


def parse_batch(document: Any, *, now: datetime) -> Upload:
    """The upload in a decoded JSON body, or InvalidInput listing every bad item and field."""
    upload = _well_formed_upload(document)
    if upload is None:
        upload = _typed_upload(document, now=now)
    check_counts(upload.counts, now=now)
    return upload


def _well_formed_upload(document: Any) -> Upload | None:
    """The counts of a body in the documented form, or None to let the schema explain what is wrong.

    Nearly every upload is well formed, and checking the plain structures orjson returns is five
    times faster than building a pydantic model per count; anything unusual, however harmless,
    goes to the schema, which stays the one authority on what is accepted.
    """
    if type(document) is not dict or "counts" not in document or not document.keys() <= BATCH_FIELDS:
        return None
    agent = None
    if document.get("agent") is not None:
        try:
            agent = _agent(AGENT.validate_python(document["agent"]))
        except ValidationError:
            return None
    items = document["counts"]
    if type(items) is not list or len(items) > MAX_COUNTS:
        return None
    counts = []
    for item in items:
        if type(item) is not dict:
            return None
        keys = item.keys()
        if not keys >= REQUIRED_FIELDS or not keys <= ITEM_FIELDS:
            return None
        start, end = _moment(item["start"]), _moment(item["end"])
        kind = KINDS.get(item["kind"]) if type(item["kind"]) is str else None
        value = item["value"]
        direction = item.get("direction")
        if start is None or end is None or kind is None or type(value) is not int:
            return None
        if direction is not None:
            direction = DIRECTIONS.get(direction) if type(direction) is str else None
            if direction is None:
                return None
        quality = Quality.NONE
        for name in item.get("quality", ()):
            flag = QUALITY_FLAGS.get(name) if type(name) is str else None
            if flag is None:
                return None
            quality |= flag
        counts.append(Count(start, end, kind, value, direction, quality))
    return Upload(counts, agent)


def _moment(text: Any) -> int | None:
    """Epoch seconds of an ISO 8601 date-time in extended form with an offset, else None."""
    if type(text) is not str or len(text) < 20 or text[10] != "T" or text[4] != "-" or text[13] != ":":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return epoch_seconds(moment)


def _typed_upload(document: Any, *, now: datetime) -> Upload:
    """Counts through the pydantic schema, which names every bad item and field."""
    try:
        batch = BATCH.validate_python(document)
    except ValidationError as error:
        problems = [FieldProblem(*_location(tuple(e["loc"])), e["msg"]) for e in error.errors()]
        problems += _rule_problems_of_well_typed_items(document, now=now)
        problems.sort(key=lambda p: (-1 if p.index is None else p.index, p.field))
        raise InvalidInput(problems, title=REJECTED) from None
    return Upload([_count(item) for item in batch.counts], _agent(batch.agent))


def _rule_problems_of_well_typed_items(document: Any, *, now: datetime) -> list[FieldProblem]:
    """Rule violations (negative value, bad window) of the items whose types were right."""
    items = document.get("counts") if isinstance(document, dict) else None
    if not isinstance(items, list) or len(items) > MAX_COUNTS:
        return []
    typed: list[tuple[int, Count]] = []
    for index, raw in enumerate(items):
        try:
            typed.append((index, _count(ITEM.validate_python(raw))))
        except ValidationError:
            continue
    try:
        check_counts([c for _, c in typed], now=now)
    except InvalidInput as error:
        return [
            FieldProblem(typed[p.index][0] if p.index is not None else None, p.field, p.message)
            for p in error.problems
        ]
    return []
