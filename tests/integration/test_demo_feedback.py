"""The demo's feedback: published questions and ideas with answers, each marked demo, stored once."""

from __future__ import annotations

from freiweg.demo.feedback import DEMO_FEEDBACK, prepare_feedback
from freiweg.demo.runner import town_document
from freiweg.services.registry import Services


def test_the_demo_answers_why_there_is_a_box_at_the_obere_bruecke_and_labels_every_item_demo(
    services: Services,
) -> None:
    services.areas.import_areas(town_document())
    services.sensors.add("obere-bruecke-1", area_id="obere-bruecke", kind="wifi", interval_seconds=300)
    prepare_feedback(services)
    prepare_feedback(services)
    [box] = services.feedback.published("sensor:obere-bruecke-1")
    assert box["text"] == "Demo: Warum hängt an der Oberen Brücke ein Kasten?"
    assert box["status"] == "answered"
    assert box["answers"][0]["text"].startswith("Demo-Antwort: Der Kasten ist ein Zählsensor.")
    topics = {topic for topic, *_ in DEMO_FEEDBACK}
    shown = [i for topic in sorted(topics) for i in services.feedback.published(topic)]
    assert len(shown) == len(DEMO_FEEDBACK)
    assert all(
        i["text"].startswith("Demo:") and i["answers"][0]["text"].startswith("Demo-Antwort:") for i in shown
    )
    assert {i["channel"] for i in shown} == {"online", "in person"}
