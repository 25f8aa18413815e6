"""POST /api/v1/counts: authenticated, idempotent, all-or-nothing, with problem+json errors."""

from __future__ import annotations

from datetime import timedelta

import orjson

from freiweg.services.registry import Services
from tests.conftest import FakeClock, bearer, presence


def recent(clock: FakeClock, n: int, *, value: int = 10, minutes: int = 5) -> list[dict[str, object]]:
    """n consecutive windows ending now."""
    return [
        presence(clock.now - timedelta(minutes=minutes * (i + 1)), value + i, minutes=minutes)
        for i in range(n)
    ]


def test_a_batch_is_stored_and_the_answer_says_how_many_were_new(client, town, clock) -> None:
    token = town("domplatz")["domplatz-1"]
    answer = client.post("/api/v1/counts", json={"counts": recent(clock, 3)}, headers=bearer(token))
    assert answer.status_code == 200
    assert answer.json() == {"sensor": "domplatz-1", "received": 3, "new": 3, "known": 0}


def test_a_retried_upload_is_recognised_and_never_duplicated(client, town, clock, services: Services) -> None:
    token = town("domplatz")["domplatz-1"]
    body = {"counts": recent(clock, 4)}
    client.post("/api/v1/counts", json=body, headers=bearer(token))
    overlapping = {"counts": recent(clock, 6)}
    answer = client.post("/api/v1/counts", json=overlapping, headers=bearer(token))
    assert (answer.json()["new"], answer.json()["known"]) == (2, 4)
    with services.database.reading() as reader:
        assert reader.counts.total() == 6


def test_one_bad_count_rejects_the_whole_batch_naming_each_item_and_field(
    client, town, clock, services
) -> None:
    token = town("domplatz")["domplatz-1"]
    counts = recent(clock, 6)
    counts[1]["value"] = -3
    counts[2]["end"] = counts[2]["start"]
    counts[3]["kind"] = "crowd"
    counts[4]["value"] = "12"
    counts[5]["start"] = (clock.now + timedelta(minutes=10)).isoformat()
    counts[5]["end"] = (clock.now + timedelta(minutes=15)).isoformat()
    answer = client.post("/api/v1/counts", json={"counts": counts}, headers=bearer(token))
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 422
    assert [(e["index"], e["field"]) for e in problem["errors"]] == [
        (1, "value"),
        (2, "end"),
        (3, "kind"),
        (4, "value"),
        (5, "start"),
    ]
    with services.database.reading() as reader:
        assert reader.counts.total() == 0


def test_a_window_longer_than_an_hour_is_rejected(client, town, clock) -> None:
    token = town("domplatz")["domplatz-1"]
    long = presence(clock.now - timedelta(hours=2), 5, minutes=61)
    answer = client.post("/api/v1/counts", json={"counts": [long]}, headers=bearer(token))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"index": 0, "field": "end", "message": "window must not be longer than one hour"}
    ]


def test_times_without_a_utc_offset_and_unknown_fields_are_rejected(client, town, clock) -> None:
    token = town("domplatz")["domplatz-1"]
    naive = presence(clock.now - timedelta(minutes=5), 5)
    naive["start"] = naive["start"].replace("+00:00", "")
    extra = dict(presence(clock.now - timedelta(minutes=10), 5), mac="aa:bb:cc:dd:ee:ff")
    answer = client.post("/api/v1/counts", json={"counts": [naive, extra]}, headers=bearer(token))
    assert answer.status_code == 422
    assert [(e["index"], e["field"]) for e in answer.json()["errors"]] == [(0, "start"), (1, "mac")]


def test_more_than_ten_thousand_counts_in_one_request_are_refused(client, town, clock) -> None:
    token = town("domplatz")["domplatz-1"]
    counts = recent(clock, 10_001, minutes=1)
    answer = client.post(
        "/api/v1/counts",
        content=orjson.dumps({"counts": counts}),
        headers={**bearer(token), "content-type": "application/json"},
    )
    assert answer.status_code in (413, 422)
    assert answer.headers["content-type"] == "application/problem+json"


def test_ten_thousand_counts_in_one_request_are_accepted(client, town, clock, services) -> None:
    token = town("domplatz")["domplatz-1"]
    counts = recent(clock, 10_000, minutes=1)
    answer = client.post(
        "/api/v1/counts",
        content=orjson.dumps({"counts": counts}),
        headers={**bearer(token), "content-type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["new"] == 10_000


def test_a_missing_unknown_or_revoked_token_gets_401(client, town, clock, services) -> None:
    token = town("domplatz")["domplatz-1"]
    body = {"counts": recent(clock, 1)}
    assert client.post("/api/v1/counts", json=body).status_code == 401
    assert client.post("/api/v1/counts", json=body, headers=bearer("fwt_unknown")).status_code == 401
    assert (
        client.post("/api/v1/counts", json=body, headers={"Authorization": f"Basic {token}"}).status_code
        == 401
    )
    services.sensors.revoke("domplatz-1")
    answer = client.post("/api/v1/counts", json=body, headers=bearer(token))
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_rotated_token_replaces_the_old_one_at_once(client, town, clock, services) -> None:
    old = town("domplatz")["domplatz-1"]
    new = services.sensors.rotate_token("domplatz-1").token
    body = {"counts": recent(clock, 1)}
    assert client.post("/api/v1/counts", json=body, headers=bearer(old)).status_code == 401
    assert client.post("/api/v1/counts", json=body, headers=bearer(new)).status_code == 200


def test_a_sensor_writes_only_its_own_counts(client, town, clock) -> None:
    tokens = town("domplatz", "obstmarkt")
    client.post(
        "/api/v1/counts", json={"counts": recent(clock, 1, value=77)}, headers=bearer(tokens["domplatz-1"])
    )
    areas = {a["id"]: a for a in client.get("/api/v1/areas").json()["areas"]}
    assert areas["domplatz"]["people"]["estimate"] == 77
    assert areas["obstmarkt"]["status"] == "no_data"


def test_a_body_over_the_size_limit_gets_413_before_it_is_read(client, town) -> None:
    token = town("domplatz")["domplatz-1"]
    answer = client.post(
        "/api/v1/counts",
        content=b"[" + b" " * 3_000_000 + b"]",
        headers={**bearer(token), "content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_body_that_is_not_json_gets_400(client, town) -> None:
    token = town("domplatz")["domplatz-1"]
    answer = client.post(
        "/api/v1/counts",
        content=b"{counts: 1}",
        headers={**bearer(token), "content-type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["title"] == "The body is not valid JSON."


def test_the_intake_is_documented_in_openapi(client) -> None:
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/v1/counts"]["post"]
    assert (
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        == "#/components/schemas/CountBatch"
    )
    assert "CountIn" in spec["components"]["schemas"]
    assert {"401", "413", "422"} <= set(operation["responses"])
    assert client.get("/api/docs").status_code == 200


AGENT = {
    "version": "0.1.0",
    "code_sha256": "a" * 64,
    "config_sha256": "b" * 64,
    "clock_synced": False,
    "queue_dropped": 3,
}


def test_an_agent_report_and_quality_flags_travel_with_the_counts(client, town, clock, services) -> None:
    token = town("domplatz")["domplatz-1"]
    counts = recent(clock, 2)
    counts[0]["quality"] = ["clock_uncertain", "queue_drops"]
    answer = client.post("/api/v1/counts", json={"counts": counts, "agent": AGENT}, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    with services.database.reading() as reader:
        reported_at, report = reader.sensors.agent_report("domplatz-1")
        flags = sorted(row[0] for row in reader.connection.exec_driver_sql("SELECT quality FROM counts"))
    assert report.code_sha256 == "a" * 64 and report.clock_synced is False and report.queue_dropped == 3
    assert reported_at == int(clock.now.timestamp())
    assert flags == [0, 2 | 16]


def test_a_bad_agent_report_or_unknown_quality_flag_rejects_the_batch(client, town, clock, services) -> None:
    token = town("domplatz")["domplatz-1"]
    counts = recent(clock, 2)
    counts[1]["quality"] = ["sunny"]
    agent = dict(AGENT, code_sha256="not-a-hash")
    answer = client.post("/api/v1/counts", json={"counts": counts, "agent": agent}, headers=bearer(token))
    assert answer.status_code == 422
    fields = [(e["index"], e["field"]) for e in answer.json()["errors"]]
    assert (None, "agent.code_sha256") in fields and (1, "quality.0") in fields
    with services.database.reading() as reader:
        assert reader.counts.total() == 0
        assert reader.sensors.agent_report("domplatz-1") is None


def test_a_body_whose_counts_are_not_a_list_is_a_clear_422(client, town) -> None:
    token = town("domplatz")["domplatz-1"]
    for body in ({"counts": 5}, {"counts": "many"}, [1, 2], {"other": []}):
        answer = client.post("/api/v1/counts", json=body, headers=bearer(token))
        assert answer.status_code == 422, body
        assert answer.headers["content-type"] == "application/problem+json"
