"""Every page with a feedback part carries the same published items, with answers, in its JSON twin."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from freiweg.services.registry import Services
from tests.conftest import FakeClock

# page, its JSON twin, the topic of its feedback part
PAGES = (
    ("/areas/domplatz", "/areas/domplatz.json", "area:domplatz"),
    ("/sensors/domplatz-1", "/sensors/domplatz-1.json", "sensor:domplatz-1"),
    ("/participate", "/participate.json", "project"),
    ("/opt-out", "/opt-out.json", "project"),
)


def send(client: Any, topic: str, kind: str, text: str) -> int:
    """Submit an item through the API and return its id."""
    answer = client.post("/api/v1/feedback", json={"topic": topic, "kind": kind, "text": text, "lang": "de"})
    assert answer.status_code == 202, answer.text
    item_id: int = answer.json()["id"]
    return item_id


def shown_ids(html: str) -> list[int]:
    """The ids of the items a page's feedback part shows, in order."""
    return [int(found) for found in re.findall(r'<li id="item-(\d+)" class="feedback-item"', html)]


def twin_feedback(client: Any, path: str) -> dict[str, Any]:
    """The feedback part of a JSON twin."""
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.text)
    data: dict[str, Any] = answer.json()
    return data["feedback"] if "feedback" in data else {"topic": data["topic"], "items": data["items"]}


def test_the_json_twins_of_area_sensor_project_and_opt_out_pages_carry_the_feedback_the_pages_show(
    client: Any, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    for page, json_path, topic in PAGES:
        assert twin_feedback(client, json_path) == {"topic": topic, "items": []}, json_path
        assert shown_ids(client.get(page).text) == [], page
    kept = {}
    for topic in ("area:domplatz", "sensor:domplatz-1", "project"):
        question = send(client, topic, "question", f"Frage zu {topic}?")
        idea = send(client, topic, "idea", f"Idee zu {topic}")
        send(client, topic, "concern", f"Noch nicht moderiert: {topic}")
        declined = send(client, topic, "objection", f"Abgelehnt: {topic}")
        for item_id in (question, idea, declined):
            services.feedback.publish(item_id)
        services.feedback.decline(declined, "duplicate")
        clock.advance(hours=2)
        services.feedback.answer(question, text=f"Antwort zu {topic}.", status="answered", language="de")
        client.post(f"/api/v1/feedback/{idea}/support", json={})
        kept[topic] = [question, idea]
    for page, json_path, topic in PAGES:
        twin = twin_feedback(client, json_path)
        api = client.get("/api/v1/feedback", params={"topic": topic}).json()
        assert twin == api, json_path
        assert [i["id"] for i in twin["items"]] == kept[topic] == shown_ids(client.get(page).text), page
        [question, idea] = twin["items"]
        assert [a["text"] for a in question["answers"]] == [f"Antwort zu {topic}."]
        assert idea["support"] == {"count": None, "fewer_than": 5}
        assert "Noch nicht moderiert" not in client.get(json_path).text
        assert "Abgelehnt" not in client.get(json_path).text
    sensor_page = client.get("/sensors/domplatz-1").text
    assert "eingegangen am 13.06.2026" in sensor_page and "(beantwortet, 13.06.2026)" in sensor_page
    assert "received on 2026-06-13" in client.get("/sensors/domplatz-1?lang=en").text


def test_an_unknown_area_or_sensor_has_no_twin(client: Any) -> None:
    assert client.get("/areas/nowhere.json").status_code == 404
    assert client.get("/sensors/nowhere-1.json").status_code == 404
