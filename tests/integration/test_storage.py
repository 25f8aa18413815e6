"""Storage on SQLite and PostgreSQL: idempotent counts, read models in step, changes logged."""

from __future__ import annotations

from datetime import timedelta

from freiweg.domain.counts import Count, CountKind, Direction
from freiweg.services.registry import Services
from tests.conftest import FakeClock


def window(
    clock: FakeClock,
    minutes_ago: int,
    value: int,
    kind: CountKind = CountKind.PRESENCE,
    direction: Direction | None = None,
) -> Count:
    end = int((clock.now - timedelta(minutes=minutes_ago)).timestamp())
    return Count(start=end - 300, end=end, kind=kind, value=value, direction=direction)


def test_the_same_count_uploaded_twice_is_stored_once(services: Services, town, clock: FakeClock) -> None:
    tokens = town("domplatz")
    batch = [window(clock, 10, 40), window(clock, 5, 42)]
    first = services.intake.record_counts(token=tokens["domplatz-1"], counts=batch)
    second = services.intake.record_counts(token=tokens["domplatz-1"], counts=batch)
    assert (first.new, first.known) == (2, 0)
    assert (second.new, second.known) == (0, 2)
    with services.database.reading() as reader:
        assert reader.counts.total() == 2


def test_passages_in_and_out_of_the_same_window_are_different_counts(
    services: Services, town, clock: FakeClock
) -> None:
    tokens = town("bruecke", kind="passage")
    batch = [
        window(clock, 5, 10, CountKind.PASSAGE, Direction.IN),
        window(clock, 5, 7, CountKind.PASSAGE, Direction.OUT),
    ]
    result = services.intake.record_counts(token=tokens["bruecke-1"], counts=batch)
    assert result.new == 2


def test_the_newest_presence_count_feeds_the_area_estimate(
    services: Services, town, clock: FakeClock
) -> None:
    tokens = town("domplatz")
    services.intake.record_counts(
        token=tokens["domplatz-1"], counts=[window(clock, 0, 120), window(clock, 5, 80)]
    )
    area = services.crowd.overview().payload["areas"][0]
    assert area["status"] == "live"
    assert area["people"]["estimate"] == 120
    # an older window arriving late does not replace the newest one
    services.intake.record_counts(token=tokens["domplatz-1"], counts=[window(clock, 30, 999)])
    assert services.crowd.overview().payload["areas"][0]["people"]["estimate"] == 120


def test_a_sensor_change_is_logged_in_the_same_transaction(services: Services, town) -> None:
    town("domplatz")
    services.sensors.revoke("domplatz-1")
    with services.database.reading() as reader:
        kinds = [kind for _, kind, _ in reader.log.about("sensor:domplatz-1")]
        area_kinds = [kind for _, kind, _ in reader.log.about("area:domplatz")]
    assert kinds == ["sensor.added", "sensor.revoked"]
    assert area_kinds == ["area.created"]


def test_a_failed_change_leaves_neither_the_change_nor_its_log_entry(services: Services, town) -> None:
    town("domplatz")
    try:
        services.sensors.add("domplatz-1", area_id="domplatz", kind="wifi")
    except Exception as error:  # the id is taken
        assert "already exists" in str(error)
    with services.database.reading() as reader:
        assert [k for _, k, _ in reader.log.about("sensor:domplatz-1")] == ["sensor.added"]


def test_the_migrations_form_one_line_of_history_and_match_the_tables(services: Services) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from freiweg.storage.migrate import alembic_config
    from freiweg.storage.tables import metadata

    assert len(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()) == 1
    with services.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, metadata)
    assert differences == []
