"""The operator console over HTTP: sign-in, cookies, lock-out, CSRF, sensors, areas, staff, purposes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pyotp
from fastapi.testclient import TestClient

from freiweg.api.staff_auth import SESSION_COOKIE
from freiweg.bootstrap import create_app
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import FakeClock, area_feature, bearer, feature_collection, presence
from tests.support.console import csrf_of, sign_in, signed_in, staff_service


def log_kinds(services: Services, subject: str) -> list[str]:
    """The kinds of transparency-log entries about subject."""
    with services.database.reading() as uow:
        return [kind for _, kind, _ in uow.log.about(subject)]


def test_signing_in_sets_a_fresh_httponly_samesite_secure_cookie_each_time(
    settings: Settings, clock: FakeClock, services: Services
) -> None:
    created = staff_service(services).add("anna", role="editor")
    app = create_app(settings.model_copy(update={"public_url": "https://freiweg.example"}), clock=clock)
    with TestClient(app, base_url="https://testserver") as client:
        client.cookies.set(SESSION_COOKIE, "planted-by-an-attacker")
        first = sign_in(client, "anna", str(created.password))
        second = sign_in(client, "anna", str(created.password))
    app.state.services.database.dispose()
    assert first.status_code == second.status_code == 303
    header = first.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header and "secure" in header
    tokens = [r.cookies[SESSION_COOKIE] for r in (first, second)]
    assert tokens[0] != tokens[1] and "planted-by-an-attacker" not in tokens


def test_a_planted_or_ended_session_cookie_opens_nothing(client: TestClient, services: Services) -> None:
    client.cookies.set(SESSION_COOKIE, "planted-by-an-attacker")
    assert client.get("/console.json").status_code == 401
    client.cookies.clear()
    csrf = signed_in(client, services, "editor")
    assert client.get("/console.json").json()["role"] == "editor"
    old = client.cookies[SESSION_COOKIE]
    assert client.post("/console/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, old)
    assert client.get("/console.json").status_code == 401


def test_the_login_form_refuses_a_post_without_its_form_token(client: TestClient, services: Services) -> None:
    created = staff_service(services).add("anna", role="editor")
    answer = client.post("/console/login", data={"name": "anna", "password": str(created.password)})
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.cookies


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    client: TestClient, services: Services, clock: FakeClock
) -> None:
    created = staff_service(services).add("anna", role="editor")
    for _ in range(5):
        assert sign_in(client, "anna", "wrong password!").status_code == 401
    assert sign_in(client, "anna", str(created.password)).status_code == 401
    assert staff_service(services).list_staff()[0]["locked"] is True
    clock.advance(minutes=16)
    assert sign_in(client, "anna", str(created.password)).status_code == 303


def test_an_unknown_name_gets_the_same_answer_as_a_wrong_password(
    client: TestClient, services: Services
) -> None:
    staff_service(services).add("anna", role="editor")
    unknown = sign_in(client, "nobody", "whatever-password")
    wrong = sign_in(client, "anna", "whatever-password")
    assert unknown.status_code == wrong.status_code == 401
    assert "anna" not in wrong.text.split("<main>")[1]


def test_a_second_factor_is_required_once_set_up(
    client: TestClient, services: Services, clock: FakeClock
) -> None:
    staff = staff_service(services)
    created = staff.add("anna", role="editor")
    secret = staff.enable_totp("anna")
    assert sign_in(client, "anna", str(created.password)).status_code == 401
    code = pyotp.TOTP(secret).at(clock.now)
    assert sign_in(client, "anna", str(created.password), code).status_code == 303


def test_a_changing_request_without_the_csrf_token_is_refused(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    form = {"sensor_id": "dom-2", "area": "domplatz", "kind": "wifi"}
    assert client.post("/console/sensors", data=form).status_code == 403
    assert client.post("/console/sensors", data={**form, "csrf": "forged"}).status_code == 403
    assert [s.id for s in services.sensors.list_sensors()] == ["domplatz-1"]
    assert client.post("/console/sensors", data={**form, "csrf": csrf}).status_code == 201


def test_an_editor_registers_a_sensor_and_sees_its_token_once(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    page = client.post(
        "/console/sensors", data={"sensor_id": "dom-2", "area": "domplatz", "kind": "wifi", "csrf": csrf}
    )
    assert page.status_code == 201
    assert page.headers["cache-control"] == "no-store"
    token = page.text.split('id="token">')[1].split("<")[0]
    assert token.startswith("fwt_")
    assert token not in client.get("/console/sensors").text
    assert token not in json.dumps(client.get("/console/sensors.json").json())
    upload = client.post("/api/v1/counts", json={"counts": [presence(clock.now, 3)]}, headers=bearer(token))
    assert upload.status_code == 200
    assert log_kinds(services, "sensor:dom-2") == ["sensor.added"]


def test_an_editor_rotates_and_revokes_a_token(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz")
    csrf = signed_in(client, services, "editor")
    rotated = client.post("/console/sensors/domplatz-1/rotate", data={"csrf": csrf})
    new = rotated.text.split('id="token">')[1].split("<")[0]
    counts = {"counts": [presence(clock.now, 3)]}
    assert client.post("/api/v1/counts", json=counts, headers=bearer(tokens["domplatz-1"])).status_code == 401
    assert client.post("/api/v1/counts", json=counts, headers=bearer(new)).status_code == 200
    revoked = client.post("/console/sensors/domplatz-1/revoke", data={"csrf": csrf}, follow_redirects=False)
    assert revoked.status_code == 303
    assert client.post("/api/v1/counts", json=counts, headers=bearer(new)).status_code == 401
    assert log_kinds(services, "sensor:domplatz-1")[-2:] == ["sensor.token_rotated", "sensor.revoked"]


def test_the_sign_prints_once_the_disclosure_is_published(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    assert client.get("/console/sensors/domplatz-1/sign").status_code == 409
    published = client.post(
        "/console/sensors/domplatz-1/disclosure", data={"csrf": csrf}, follow_redirects=False
    )
    assert published.status_code == 303
    sign = client.get("/console/sensors/domplatz-1/sign")
    assert sign.status_code == 200
    assert "domplatz-1" in sign.text and "data:image/svg+xml;base64," in sign.text


def test_an_editor_uploads_areas_with_a_quiet_zone_and_bad_files_change_nothing(
    client: TestClient, services: Services
) -> None:
    csrf = signed_in(client, services, "editor")
    good = feature_collection(area_feature("domplatz", quiet_zone=True, thresholds=[0.2, 0.5, 1.0, 2.0]))
    answer = client.post(
        "/console/areas",
        data={"csrf": csrf},
        files={"file": ("areas.geojson", json.dumps(good), "application/json")},
    )
    assert answer.status_code == 200
    assert client.get("/console/areas.json").json()["areas"][0]["quiet_zone"] is True
    bad = feature_collection(area_feature("gabelmann"), {"type": "Feature", "properties": {}})
    refused = client.post(
        "/console/areas",
        data={"csrf": csrf},
        files={"file": ("areas.geojson", json.dumps(bad), "application/json")},
    )
    assert refused.status_code == 422
    assert "features" in refused.text or "properties" in refused.text
    not_json = client.post(
        "/console/areas", data={"csrf": csrf}, files={"file": ("a.geojson", b"{", "text/plain")}
    )
    assert not_json.status_code == 422
    assert [a.id for a in services.areas.list_areas()] == ["domplatz"]


def test_an_admin_invites_a_member_who_sets_a_password_and_signs_in(
    client: TestClient, services: Services
) -> None:
    csrf = signed_in(client, services, "admin")
    page = client.post(
        "/console/staff", data={"name": "ben", "role": "editor", "invite": "true", "csrf": csrf}
    )
    link = page.text.split("/console/invite/")[1].split("<")[0].strip()
    client.cookies.clear()
    form = client.get(f"/console/invite/{link}")
    assert (
        client.post(
            f"/console/invite/{link}", data={"password": "short", "csrf": csrf_of(form.text)}
        ).status_code
        == 422
    )
    form = client.get(f"/console/invite/{link}")
    done = client.post(
        f"/console/invite/{link}", data={"password": "a long new password", "csrf": csrf_of(form.text)}
    )
    assert done.status_code == 200
    assert sign_in(client, "ben", "a long new password").status_code == 303
    assert client.get("/console.json").json() == {"name": "ben", "role": "editor"}
    assert log_kinds(services, "staff:ben") == ["staff.added"]


def test_disabling_a_member_ends_their_sessions(
    client: TestClient, services: Services, settings: Settings
) -> None:
    editor = TestClient(client.app)
    signed_in(editor, services, "editor", name="ben")
    assert editor.get("/console.json").status_code == 200
    csrf = signed_in(client, services, "admin")
    assert (
        client.post("/console/staff/ben/disable", data={"csrf": csrf}, follow_redirects=False).status_code
        == 303
    )
    assert editor.get("/console.json").status_code == 401
    assert log_kinds(services, "staff:ben") == ["staff.added", "staff.disabled"]


def test_an_editor_cannot_read_per_minute_counts(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    signed_in(client, services, "editor")
    assert (
        client.get("/console/counts.json", params={"sensor": "domplatz-1", "purpose": "x"}).status_code == 403
    )


def test_an_analyst_reads_per_minute_counts_only_for_a_registered_purpose_and_is_logged(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz")
    client.post(
        "/api/v1/counts",
        json={"counts": [presence(clock.now - timedelta(minutes=10), 7)]},
        headers=bearer(tokens["domplatz-1"]),
    )
    access = services.transparency.access
    access.add_purpose("fault", name_de="Störung", name_en="Fault finding", scopes=["minute_counts"])
    access.add_purpose("moderation", name_de="Moderation", name_en="Moderation", scopes=["moderation_queue"])
    signed_in(client, services, "analyst")
    form = client.get("/console/counts.json").json()
    assert [p["id"] for p in form["purposes"]] == ["fault"]
    assert (
        client.get("/console/counts.json", params={"sensor": "domplatz-1", "purpose": "none"}).status_code
        == 404
    )
    wrong = client.get("/console/counts.json", params={"sensor": "domplatz-1", "purpose": "moderation"})
    assert wrong.status_code == 403
    answer = client.get("/console/counts.json", params={"sensor": "domplatz-1", "purpose": "fault"})
    assert answer.status_code == 200
    assert [c["value"] for c in answer.json()["result"]["counts"]] == [7]
    logged = access.recent()
    assert [(r["role"], r["purpose"], r["scope"]) for r in logged] == [
        ("analyst", "fault", "minute_counts:domplatz-1")
    ]


def test_an_editor_session_is_accepted_where_the_operator_token_is(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    session: dict[str, Any] = {
        "start": (clock.now - timedelta(minutes=30)).isoformat(),
        "end": clock.now.isoformat(),
        "people": 12,
    }
    path = "/api/v1/sensors/domplatz-1/calibration/sessions"
    csrf = signed_in(client, services, "editor")
    assert client.post(path, json=session).status_code == 403
    assert client.post(path, json=session, headers={"x-csrf-token": csrf}).status_code == 201
    assert len(client.get(path).json()) == 1


def test_console_pages_speak_german_by_default_and_english_on_request(
    client: TestClient, services: Services
) -> None:
    signed_in(client, services, "admin")
    assert "Abmelden" in client.get("/console").text
    assert "Sign out" in client.get("/console?lang=en").text
    assert 'name="viewport"' in client.get("/console").text


def test_an_editor_sets_an_alert_rule_and_sees_the_history(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    rule = {
        "kind": "sensor_silent",
        "subject": "domplatz-1",
        "threshold": "2",
        "minutes": "0",
        "channel": "webhook",
        "target": "http://127.0.0.1:9/unreachable",
        "csrf": csrf,
    }
    assert client.post("/console/alerts", data={**rule, "target": "not a url"}).status_code == 422
    assert client.post("/console/alerts", data=rule).status_code == 201
    clock.advance(minutes=20)
    assert client.post("/console/alerts/check", data={"csrf": csrf}).status_code == 200
    alerts = client.get("/console/alerts.json").json()
    assert [r["subject"] for r in alerts["rules"]] == ["domplatz-1"]
    assert [(a["kind"], a["resolved_at"], a["delivered"]) for a in alerts["history"]] == [
        ("sensor_silent", None, False)
    ]


def test_an_editor_enters_and_removes_an_event_and_both_are_logged(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    event = {
        "name": "Sandkerwa",
        "start": "2026-08-20T18:00",
        "end": "2026-08-24T23:00",
        "areas": ["domplatz"],
    }
    assert client.post("/console/events", data={**event, "end": "yesterday", "csrf": csrf}).status_code == 422
    assert client.post("/console/events", data={**event, "csrf": csrf}).status_code == 201
    listed = client.get("/console/events.json").json()["events"]
    assert [(e["name"], e["areas"]) for e in listed] == [("Sandkerwa", ["domplatz"])]
    assert client.get("/api/v1/events").json()[0]["name"] == "Sandkerwa"
    removed = client.post(
        f"/console/events/{listed[0]['id']}/remove", data={"csrf": csrf}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert client.get("/console/events.json").json()["events"] == []
    assert log_kinds(services, f"event:{listed[0]['id']}") == ["event.added", "event.removed"]
