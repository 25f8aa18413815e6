"""Demo feedback: a few published items with public answers, each marked as demo."""

from __future__ import annotations

from typing import Any

from freiweg.services.registry import Services

# (topic, kind, question, answer, status of the answer, received in person)
DEMO_FEEDBACK: tuple[tuple[str, str, str, str, str, bool], ...] = (
    (
        "sensor:obere-bruecke-1",
        "question",
        "Demo: Warum hängt an der Oberen Brücke ein Kasten?",
        "Demo-Antwort: Der Kasten ist ein Zählsensor. Er zählt, wie viele Telefone in der Nähe WLAN-Signale "
        "senden, und meldet alle fünf Minuten nur diese Zahl. Geräteadressen macht er sofort unkenntlich; "
        "sie verlassen das Gerät nie. Zweck, Technik und Protokoll stehen auf dieser Seite.",
        "answered",
        False,
    ),
    (
        "project",
        "concern",
        "Demo: Kann die Stadt damit sehen, wo ich hingehe?",
        "Demo-Antwort: Nein. Die Sensoren zählen nur und vergessen ihre Schlüssel alle paar Minuten; "
        "niemand lässt sich wiedererkennen, auch nicht von Sensor zu Sensor.",
        "answered",
        False,
    ),
    (
        "area:obere-bruecke",
        "idea",
        "Demo: Eine Anzeige am Brückenaufgang, wie voll es gerade ist.",
        "Demo-Antwort: Gute Idee – ein Bildschirm am Rathaus ist für den Sommer geplant.",
        "planned",
        False,
    ),
    (
        "project",
        "objection",
        "Demo: Ich möchte nicht gezählt werden.",
        "Demo-Antwort: Das respektieren wir. Wie es geht und wo die Grenzen sind, steht auf der Seite "
        "„Nicht gezählt werden“ (/opt-out).",
        "answered",
        True,
    ),
)


def prepare_feedback(services: Services) -> None:
    """Store, publish and answer the demo items once; a second run changes nothing."""
    feedback = services.feedback
    if feedback.published(DEMO_FEEDBACK[0][0]):
        return
    for topic, kind, text, answer, status, in_person in DEMO_FEEDBACK:
        receipt: dict[str, Any] | None
        if in_person:
            receipt = feedback.enter_in_person(topic=topic, kind=kind, text=text, language="de")
        else:
            receipt = feedback.submit(topic=topic, kind=kind, text=text, language="de", source="demo")
        assert receipt is not None
        feedback.publish(receipt["id"])
        feedback.answer(receipt["id"], text=answer, status=status, language="de")
