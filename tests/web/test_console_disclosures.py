"""Disclosures in the console: list with status, edit a draft (purpose first), publish logged, history."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient

from freiweg.services.registry import Services
from freiweg.storage.transparency_repository import TransparencyRepository
from tests.support.console import signed_in

PURPOSE_DE = "Zählen, wie voll der Domplatz ist, damit Führungen ruhigere Zeiten wählen."
PURPOSE_EN = "Count how busy the Domplatz is, so that tours can choose calmer times."


def log_kinds(services: Services) -> list[str]:
    with services.database.reading() as uow:
        rows = uow.connection.exec_driver_sql("SELECT kind FROM transparency_log ORDER BY seq").all()
    return [r[0] for r in rows]


def draft_rows(services: Services) -> int:
    with services.database.reading() as uow:
        return len(uow.connection.exec_driver_sql("SELECT sensor_id FROM disclosure_drafts").all())


def test_an_editor_edits_the_purpose_of_a_draft_publishes_it_and_sees_the_history(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz", "obstmarkt")
    services.transparency.disclosures.publish("obstmarkt-1")
    csrf = signed_in(client, services, "editor", name="anna")
    listed = {d["sensor"]: d for d in client.get("/console/disclosures.json").json()["disclosures"]}
    assert listed["domplatz-1"]["status"] == "draft" and listed["domplatz-1"]["version"] is None
    assert listed["obstmarkt-1"]["status"] == "published" and listed["obstmarkt-1"]["version"] == 1
    page = client.get("/console/disclosures/domplatz-1", headers={"accept-language": "de"}).text
    # The purpose is the first field of the form.
    assert (
        page.index('name="purpose.de"') < page.index('name="benefit.de"') < page.index('name="objection.de"')
    )

    before = log_kinds(services)
    saved = client.post(
        "/console/disclosures/domplatz-1",
        data={"csrf": csrf, "purpose.de": PURPOSE_DE, "purpose.en": PURPOSE_EN, "installed_on": "2026-05-04"},
    )
    assert saved.status_code == 200 and "Entwurf gespeichert" in saved.text
    assert log_kinds(services) == before  # a draft is not public and not logged
    assert services.transparency.disclosures.current("domplatz-1") is None
    twin = client.get("/console/disclosures/domplatz-1.json").json()
    assert (
        twin["status"] == "draft" and twin["draft"]["saved"] is True and twin["draft"]["saved_by"] == "anna"
    )
    assert twin["fields"]["purpose.en"] == PURPOSE_EN and twin["versions"] == []
    assert (
        client.get("/sensors/domplatz-1.json").json()["disclosure"]["document"]["purpose"]["en"] != PURPOSE_EN
    )

    published = client.post("/console/disclosures/domplatz-1/publish", data={"csrf": csrf})
    assert published.status_code == 201 and "Fassung 1 veröffentlicht" in published.text
    current = services.transparency.disclosures.current("domplatz-1")
    assert current is not None and current.document["purpose"] == {"de": PURPOSE_DE, "en": PURPOSE_EN}
    assert current.document["installed_on"] == "2026-05-04"
    assert log_kinds(services) == [*before, "disclosure.published"]
    with services.database.reading() as uow:
        row = TransparencyRepository(uow.connection).latest_disclosure("domplatz-1")
        assert row is not None
        entry = uow.connection.exec_driver_sql(
            f"SELECT body FROM transparency_log WHERE seq = {int(row.log_seq)}"
        ).scalar_one()
    assert json.loads(entry)["body"]["sha256"] == current.sha256
    assert draft_rows(services) == 0  # publishing used the draft up, in the same transaction

    # A second version starts from the published one, so the edited purpose is kept.
    client.post("/console/disclosures/domplatz-1", data={"csrf": csrf, "benefit.en": "Calmer tours."})
    client.post("/console/disclosures/domplatz-1/publish", data={"csrf": csrf})
    history = client.get("/console/disclosures/domplatz-1.json").json()["versions"]
    assert [v["version"] for v in history] == [2, 1]
    assert history[0]["purpose"]["en"] == PURPOSE_EN and history[0]["log_seq"] > history[1]["log_seq"]
    public = client.get("/sensors/domplatz-1.json").json()["disclosure"]["document"]
    assert public["purpose"]["en"] == PURPOSE_EN and public["benefit"]["en"] == "Calmer tours."
    english = client.get("/console/disclosures/domplatz-1?lang=en").text
    assert "Published versions" in english and "Publish a new version" in english


def test_an_incomplete_draft_names_each_field_keeps_the_typing_and_stores_nothing(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    answer = client.post(
        "/console/disclosures/domplatz-1",
        data={"csrf": csrf, "purpose.de": "  ", "legal_basis.en": "", "benefit.de": "Weniger Gedränge."},
        headers={"accept-language": "en"},
    )
    assert answer.status_code == 422
    assert "purpose" in answer.text and "legal_basis" in answer.text
    assert "Weniger Gedränge." in answer.text
    assert draft_rows(services) == 0
    bad_date = client.post("/console/disclosures/domplatz-1", data={"csrf": csrf, "installed_on": "May"})
    assert bad_date.status_code == 422 and "installed_on" in bad_date.text
    assert draft_rows(services) == 0


def test_disclosure_forms_need_the_csrf_token_and_an_editor(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    signed_in(client, services, "analyst")
    assert client.get("/console/disclosures").status_code == 403
    client.cookies.clear()
    signed_in(client, services, "editor")
    refused = client.post("/console/disclosures/domplatz-1", data={"purpose.de": "Ohne Token"})
    assert refused.status_code == 403 and draft_rows(services) == 0
    assert client.post("/console/disclosures/domplatz-1/publish").status_code == 403
    assert services.transparency.disclosures.current("domplatz-1") is None


def test_a_saved_draft_can_be_discarded_and_an_unknown_sensor_is_not_found(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    client.post("/console/disclosures/domplatz-1", data={"csrf": csrf, "purpose.en": "Something else."})
    assert draft_rows(services) == 1
    gone = client.post("/console/disclosures/domplatz-1/discard", data={"csrf": csrf}, follow_redirects=False)
    assert gone.status_code == 303 and draft_rows(services) == 0
    assert client.get("/console/disclosures/nowhere-1.json").status_code == 404
    assert client.post("/console/disclosures/nowhere-1/publish", data={"csrf": csrf}).status_code == 404


def test_the_health_page_shows_when_each_job_last_ran_and_whether_it_succeeded(
    client: TestClient, services: Services
) -> None:
    from freiweg.services.jobs import Every, Job, JobScheduler

    def broken() -> str:
        raise RuntimeError("no route to the mail server")

    runner = JobScheduler(
        database=services.database,
        clock=services.clock,
        jobs=[
            Job("alert_check", Every(60), lambda: "0 opened, 0 resolved", 300),
            Job("housekeeping", Every(60), broken, 300),
        ],
        timezone=services.settings.timezone,
    )
    runner.prepare()
    runner.run_due()
    signed_in(client, services, "editor")
    jobs = {j["job"]: j for j in client.get("/console/health.json").json()["jobs"]}
    assert jobs["alert_check"]["ok"] is True and jobs["housekeeping"]["ok"] is False
    assert jobs["alert_check"]["last_finished_at"] == int(services.clock().timestamp())
    page = client.get("/console/health?lang=en").text
    assert "Alert check" in page and "succeeded" in page
    assert "Housekeeping (retention)" in page and "failed" in page and "no route to the mail server" in page
