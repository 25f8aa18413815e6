"""The participation pages' messages in German and English: feedback, the project page, opting out."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "de": {
        "feedback.heading": "Fragen, Bedenken, Ideen",
        "feedback.intro": "Stellen Sie eine Frage, äußern Sie Bedenken, widersprechen Sie oder schlagen Sie "
        "etwas vor – ohne Anmeldung. Ihr Beitrag erscheint, sobald er geprüft ist; die Stadt antwortet "
        "öffentlich.",
        "feedback.none": "Noch keine veröffentlichten Beiträge.",
        "feedback.kind": "Art des Beitrags",
        "kind.question": "Frage",
        "kind.concern": "Bedenken",
        "kind.objection": "Einwand",
        "kind.idea": "Idee",
        "status.new": "neu",
        "status.answered": "beantwortet",
        "status.planned": "geplant",
        "status.done": "umgesetzt",
        "status.declined": "abgelehnt",
        "channel.online": "online",
        "channel.in person": "persönlich eingereicht",
        "feedback.text": "Ihr Beitrag (3 bis 2.000 Zeichen)",
        "feedback.website": "Bitte leer lassen",
        "feedback.send": "Absenden",
        "feedback.stored": "Gespeichert werden nur der Text, das Thema, die Sprache und die Stunde, in der "
        "er eingegangen ist – keine IP-Adresse, keine Angaben zu Ihrem Browser. Das Formular braucht ein "
        "Cookie mit einer Zufallszahl gegen gefälschte Absendungen; es endet mit der Browsersitzung und wird "
        "nicht gespeichert.",
        "feedback.sent": "Danke. Ihr Beitrag wartet auf die Moderation.",
        "feedback.supported": "Danke für Ihre Unterstützung.",
        "feedback.answer": "Antwort der Stadt ({status}, {time})",
        "feedback.received": "eingegangen am {time}",
        "feedback.support": "Unterstützen",
        "feedback.support_count": "{count} Unterstützungen",
        "feedback.support_few": "weniger als {count} Unterstützungen",
        "feedback.problem": "Der Beitrag wurde nicht gespeichert",
        "feedback.back": "Zurück zur Seite",
        "feedback.json": "Diese Beiträge als Daten (JSON)",
        "feedback.fix": "Bitte prüfen Sie:",
        "problem.text": "Der Text muss 3 bis 2.000 Zeichen lang sein und darf nur gewöhnliche Schrift "
        "enthalten (keine Steuerzeichen, keine Binärdaten).",
        "problem.topic": "Dieses Thema gibt es nicht. Schreiben Sie bitte von der Seite des Ortes oder "
        "Sensors aus.",
        "problem.kind": "Bitte wählen Sie eine Art des Beitrags.",
        "problem.lang": "Bitte wählen Sie Deutsch oder Englisch.",
        "problem.too_many": "Von diesem Anschluss kamen in dieser Stunde schon viele Beiträge. Bitte "
        "versuchen Sie es in der nächsten Stunde noch einmal.",
        "problem.not_found": "Diesen Beitrag gibt es nicht oder nicht mehr.",
        "problem.conflict": "Unterstützen können Sie nur veröffentlichte Ideen.",
        "problem.detail": "Technische Angabe:",
        "participate.title": "Mitreden",
        "participate.intro": "freiweg zählt, wie voll Straßen und Plätze sind – anonym, ohne Kennungen. Hier "
        "können Sie zum Projekt als Ganzes Fragen stellen, Bedenken äußern, widersprechen oder Ideen "
        "einbringen. Zu einem bestimmten Ort oder Sensor schreiben Sie am besten auf dessen Seite.",
        "participate.where": "Zu einem Ort oder Sensor",
        "participate.areas": "Orte",
        "participate.sensors": "Alle Sensoren",
        "participate.opt_out": "Nicht gezählt werden",
        "participate.answers": "Wie schnell die Stadt antwortet",
        "participate.month": "Monat",
        "participate.questions": "Fragen, Bedenken, Einwände",
        "participate.answered": "öffentlich beantwortet",
        "participate.median": "Typische Wartezeit auf die Antwort (Median, Stunden)",
        "participate.no_statistics": "Noch keine Fragen eingegangen.",
        "opt_out.title": "Nicht gezählt werden",
        "opt_out.how": "So werden Sie nicht gezählt",
        "opt_out.limits": "Wo das an Grenzen stößt",
        "opt_out.city": "Was die Stadt tut, damit Sie nichts tun müssen",
        "opt_out.contact": "An wen Sie sich wenden können",
        "opt_out.privacy_officer": "Datenschutz",
        "opt_out.operator": "Betreiber",
        "opt_out.object": "Widerspruch einlegen",
        "opt_out.object_text": "Über das Formular unten können Sie Widerspruch einlegen. Er wird geprüft, "
        "veröffentlicht und öffentlich beantwortet. Schreiben Sie dort bitte nichts Persönliches hinein; "
        "Anliegen zu Ihrer eigenen Person richten Sie bitte direkt an die Datenschutz-Stelle oben.",
    },
    "en": {
        "feedback.heading": "Questions, concerns, ideas",
        "feedback.intro": "Ask a question, raise a concern, object or suggest something – no sign-up "
        "needed. Your item appears once it has been checked; the city answers in public.",
        "feedback.none": "No published items yet.",
        "feedback.kind": "Kind of item",
        "kind.question": "Question",
        "kind.concern": "Concern",
        "kind.objection": "Objection",
        "kind.idea": "Idea",
        "status.new": "new",
        "status.answered": "answered",
        "status.planned": "planned",
        "status.done": "done",
        "status.declined": "declined",
        "channel.online": "online",
        "channel.in person": "received in person",
        "feedback.text": "Your item (3 to 2,000 characters)",
        "feedback.website": "Please leave empty",
        "feedback.send": "Send",
        "feedback.stored": "Only the text, the topic, the language and the hour it arrived are stored – no "
        "IP address, nothing about your browser. The form needs a cookie holding a random number against "
        "forged submissions; it ends with the browser session and is not stored.",
        "feedback.sent": "Thank you. Your item waits for moderation.",
        "feedback.supported": "Thank you for your support.",
        "feedback.answer": "The city's answer ({status}, {time})",
        "feedback.received": "received on {time}",
        "feedback.support": "Support",
        "feedback.support_count": "{count} supporters",
        "feedback.support_few": "fewer than {count} supporters",
        "feedback.problem": "The item was not stored",
        "feedback.back": "Back to the page",
        "feedback.json": "These items as data (JSON)",
        "feedback.fix": "Please check:",
        "problem.text": "The text must be 3 to 2,000 characters of ordinary writing (no control characters, "
        "no binary data).",
        "problem.topic": "There is no such topic. Please write from the page of the place or sensor.",
        "problem.kind": "Please choose a kind of item.",
        "problem.lang": "Please choose German or English.",
        "problem.too_many": "Many items came from this connection this hour already. Please try again in "
        "the next hour.",
        "problem.not_found": "This item does not exist, or no longer.",
        "problem.conflict": "Only published ideas can be supported.",
        "problem.detail": "Technical detail:",
        "participate.title": "Have your say",
        "participate.intro": "freiweg counts how busy streets and squares are – anonymously, without "
        "identifiers. Here you can ask about the project as a whole, raise concerns, object or suggest "
        "ideas. About one place or sensor, please write on its page.",
        "participate.where": "About a place or sensor",
        "participate.areas": "Places",
        "participate.sensors": "All sensors",
        "participate.opt_out": "Not being counted",
        "participate.answers": "How quickly the city answers",
        "participate.month": "Month",
        "participate.questions": "Questions, concerns, objections",
        "participate.answered": "answered in public",
        "participate.median": "Typical wait for the answer (median, hours)",
        "participate.no_statistics": "No questions received yet.",
        "opt_out.title": "Not being counted",
        "opt_out.how": "How not to be counted",
        "opt_out.limits": "Where that falls short",
        "opt_out.city": "What the city does so that you do not have to do anything",
        "opt_out.contact": "Whom to write to",
        "opt_out.privacy_officer": "Data protection",
        "opt_out.operator": "Operator",
        "opt_out.object": "File an objection",
        "opt_out.object_text": "You can file an objection with the form below. It is checked, published and "
        "answered in public, so please write nothing personal in it; send matters about yourself straight "
        "to the data protection contact above.",
    },
}


def texts(language: str) -> dict[str, str]:
    """The messages of a language (German when unknown)."""
    return MESSAGES.get(language, MESSAGES["de"])


# The console's moderation page (staff only).
MODERATION: Final[dict[str, dict[str, str]]] = {
    "de": {
        "title": "Moderation",
        "choose_purpose": "Die Warteschlange enthält nicht veröffentlichte Beiträge. Nennen Sie einen "
        "eingetragenen Zweck; der Zugriff wird protokolliert.",
        "no_purpose": "Es ist noch kein Zweck für die Moderation eingetragen (Umfang moderation_queue).",
        "purpose_needed": "Öffnen Sie die Warteschlange mit einem eingetragenen Zweck für die Moderation; "
        "es wurde nichts geändert.",
        "open": "Warteschlange öffnen",
        "waiting": "Neue Beiträge",
        "unanswered": "Veröffentlicht, noch ohne Antwort",
        "none": "Keine.",
        "publish": "Veröffentlichen",
        "decline": "Ablehnen",
        "reason": "Grund",
        "answer": "Öffentlich antworten",
        "answer_text": "Antwort",
        "status": "Status",
        "language": "Sprache",
        "has_link": "enthält einen Link – bitte prüfen",
        "in_person": "Persönlich erhaltenen Beitrag eintragen",
        "in_person_help": "Für Beiträge aus Sprechstunden oder an der Information; der Beitrag kommt in "
        "die Warteschlange wie jeder andere.",
        "topic": "Thema (project, area:<id> oder sensor:<id>)",
        "kind": "Art",
        "text": "Text",
        "enter": "Eintragen",
        "done": "Erledigt.",
    },
    "en": {
        "title": "Moderation",
        "choose_purpose": "The queue holds unpublished items. Name a registered purpose; the access is "
        "logged.",
        "no_purpose": "No purpose for moderation is registered yet (scope moderation_queue).",
        "purpose_needed": "Open the queue under a registered purpose for moderation first; nothing was "
        "changed.",
        "open": "Open the queue",
        "waiting": "New items",
        "unanswered": "Published, not answered yet",
        "none": "None.",
        "publish": "Publish",
        "decline": "Decline",
        "reason": "Reason",
        "answer": "Answer in public",
        "answer_text": "Answer",
        "status": "Status",
        "language": "Language",
        "has_link": "contains a link – please check",
        "in_person": "Enter an item received in person",
        "in_person_help": "For items from consultation hours or the information desk; the item joins the "
        "queue like any other.",
        "topic": "Topic (project, area:<id> or sensor:<id>)",
        "kind": "Kind",
        "text": "Text",
        "enter": "Enter",
        "done": "Done.",
    },
}
