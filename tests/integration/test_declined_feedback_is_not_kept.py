"""A declined item keeps no text: what a moderator declined (personal data, insults) is erased at once."""

from __future__ import annotations

from sqlalchemy import select

from freiweg.services.registry import Services
from freiweg.storage.participation_tables import feedback_items

SECRET_TEXT = "Herr Mustermann wohnt in der Judenstraße 7 und ist oft krank"


def test_declining_an_item_erases_its_text_and_keeps_the_facts_the_statistics_need(
    services: Services,
) -> None:
    receipt = services.feedback.submit(
        topic="project", kind="concern", text=SECRET_TEXT, language="de", source="192.0.2.1"
    )
    assert receipt is not None
    services.feedback.decline(receipt["id"], "personal_data")
    with services.database.reading() as uow:
        rows = list(uow.connection.execute(select(feedback_items)))
    [row] = rows
    assert SECRET_TEXT not in str(tuple(row))
    assert (row.status, row.decline_reason, row.kind, row.topic) == (
        "declined",
        "personal_data",
        "concern",
        "project",
    )
    assert services.feedback.published("project") == []
