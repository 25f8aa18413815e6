"""The survey, sensor-page check and trust dashboard messages in German and English."""

from __future__ import annotations

from typing import Final

from freiweg.web.i18n import MESSAGES as BASE_MESSAGES

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "de": {
        "switch_language": "English",
        "switch_language_code": "en",
        "nav": "freiweg",
        "nav.map": "Karte",
        "nav.survey": "Umfrage",
        "nav.trust": "Vertrauen",
        "nav.transparency": "Transparenz",
        "json_twin": "diese Seite als JSON",
        "skip": "Zum Inhalt",
        "survey.title": "Umfrage",
        "survey.intro": "Wie gut erklärt freiweg, was es tut – und vertrauen Sie ihm? Die Umfrage dauert "
        "etwa zwei Minuten. Alle Fragen sind freiwillig; Sie können jede überspringen.",
        "survey.privacy": "Gespeichert wird nur: Ihre Antworten, die Sprache und der Monat, zusammengehalten "
        "von einer Zufallsnummer. Nicht gespeichert: Ihre IP-Adresse, Ihr Browser, die genaue Zeit, das "
        "Cookie des Formulars (eine Zufallszahl gegen gefälschte Absendungen). "
        "Ergebnisse erscheinen nur zusammengefasst und erst ab 10 Antworten.",
        "survey.part.understanding": "Was wissen Sie über die Zähler?",
        "survey.part.trust": "Vertrauen",
        "survey.part.acceptance": "Zustimmung",
        "survey.part.page_help": "Die Seiten zu den Sensoren",
        "survey.likert_hint": "Wie sehr stimmen Sie zu?",
        "survey.skip_option": "keine Angabe",
        "survey.honeypot": "Bitte dieses Feld leer lassen",
        "survey.send": "Antworten senden",
        "survey.errors": "Die Antworten wurden nicht gespeichert. Bitte prüfen Sie:",
        "survey.error.answers": "Bitte beantworten Sie mindestens eine Frage.",
        "survey.error.value": "Bitte wählen Sie eine der angebotenen Antworten.",
        "survey.error.item": "Diese Frage gibt es nicht (mehr).",
        "survey.error.lang": "Unbekannte Sprache.",
        "survey.too_many": "Von diesem Anschluss kamen in dieser Stunde schon mehrere Antworten. "
        "Bitte versuchen Sie es später noch einmal.",
        "thanks.title": "Danke!",
        "thanks.text": "Ihre Antworten sind angekommen. Die Ergebnisse des Monats erscheinen auf der Seite "
        "„Vertrauen“, wenn der Monat vorbei ist und mindestens 10 Antworten vorliegen.",
        "thanks.results": "Zu den Ergebnissen",
        "thanks.answers": "Die richtigen Antworten:",
        "trust.title": "Vertrauen",
        "trust.intro": "Verstehen die Menschen, was freiweg tut? Vertrauen sie ihm, und finden sie es "
        "richtig? Das fragt die Stadt laufend in einer Umfrage; hier stehen die Ergebnisse für jeden Monat.",
        "trust.method": "Verständnis: Anteil richtiger Antworten. Vertrauen und Zustimmung: Aussagen von 1 "
        "(stimme gar nicht zu) bis 5 (stimme voll zu), umgerechnet auf 0–100. In Klammern der Bereich, "
        "in dem der wahre Wert mit 95 % Wahrscheinlichkeit liegt. Ein Wert erscheint erst, wenn der Monat "
        "vorbei ist und mindestens {threshold} Antworten dahinterstehen: So lässt sich keine einzelne "
        "Antwort aus zwei Ständen der Seite herausrechnen.",
        "trust.demo": "Enthält simulierte Demo-Antworten.",
        "trust.take_part": "Selbst an der Umfrage teilnehmen",
        "trust.csv": "Alle Zahlen als CSV",
        "trust.no_data": "Noch keine Antworten.",
        "trust.too_few": "zu wenige Antworten",
        "trust.open_month": "Monat läuft noch",
        "trust.chart_desc": "Liniendiagramm je Monat, 0 bis 100. {points}",
        "trust.table": "Die Zahlen als Tabelle",
        "trust.month": "Monat",
        "trust.answers": "Antworten",
        "trust.range": "{value} ({low}–{high})",
        "construct.understanding": "Verständnis",
        "construct.trust": "Vertrauen",
        "construct.acceptance": "Zustimmung",
        "construct.page_help": "Sensorseite hat geholfen",
        "trust.questions": "Fragen an die Stadt",
        "trust.questions_intro": "Fragen, Bedenken und Einwände, die über „Mitreden“ eingegangen sind: wie "
        "viele öffentlich beantwortet sind und wie lange eine Antwort typischerweise (Median) gedauert hat.",
        "trust.questions_none": "Noch keine Fragen.",
        "trust.questions_off": "Die Beteiligung ist noch nicht eingerichtet.",
        "trust.received": "eingegangen",
        "trust.answered": "beantwortet",
        "trust.answered_share": "Anteil beantwortet",
        "trust.median": "Median bis zur Antwort",
        "trust.hours": "{hours} Std.",
        "trust.checks": "Kurzfrage auf den Sensorseiten",
        "trust.checks_intro": "„Was verlässt diesen Kasten?“ – Anteil richtiger Antworten, und wie oft die "
        "Seite geholfen hat.",
        "trust.checks_none": "Noch keine Antworten.",
        "trust.check_correct": "richtig beantwortet",
        "trust.check_helped": "Seite hat geholfen",
        "check.heading": "Kurz gefragt",
        "check.help": "Hat Ihnen diese Seite geholfen?",
        "check.yes": "ja",
        "check.no": "nein",
        "check.send": "Antwort senden",
        "check.honeypot": "Bitte dieses Feld leer lassen",
        "check.thanks": "Danke! Richtig ist: Nur Zählwerte verlassen den Kasten – keine Kennungen, keine "
        "Fotos.",
        "check.right": "Ihre Antwort ist richtig – danke! Nur Zählwerte verlassen den Kasten: keine "
        "Kennungen, keine Fotos.",
        "check.wrong": "Ihre Antwort stimmt leider nicht – danke trotzdem! Richtig ist: Nur Zählwerte "
        "verlassen den Kasten, keine Kennungen, keine Fotos.",
        "check.back": "Zurück zur Sensorseite",
        "check.privacy": "Gespeichert wird nur: Sensor, Monat, richtig oder falsch, geholfen oder nicht. "
        "Sonst nichts.",
        "check.results": "Ergebnisse aller Sensorseiten",
        "check.missing": "Bitte wählen Sie eine Antwort oder sagen Sie, ob die Seite geholfen hat.",
        "check.later": "Von diesem Anschluss kamen in dieser Stunde schon viele Antworten. Danke – bitte "
        "versuchen Sie es in der nächsten Stunde noch einmal.",
    },
    "en": {
        "switch_language": "Deutsch",
        "switch_language_code": "de",
        "nav": "freiweg",
        "nav.map": "Map",
        "nav.survey": "Survey",
        "nav.trust": "Trust",
        "nav.transparency": "Transparency",
        "json_twin": "this page as JSON",
        "skip": "Skip to content",
        "survey.title": "Survey",
        "survey.intro": "How well does freiweg explain what it does – and do you trust it? The survey takes "
        "about two minutes. Every question is optional; you may skip any of them.",
        "survey.privacy": "Stored: your answers, the language and the month, held together by a random "
        "number. Not stored: your IP address, your browser, the exact time, the form's cookie (a random "
        "number against forged submissions). Results appear only "
        "in aggregate and only from 10 answers on.",
        "survey.part.understanding": "What do you know about the counters?",
        "survey.part.trust": "Trust",
        "survey.part.acceptance": "Acceptance",
        "survey.part.page_help": "The sensor pages",
        "survey.likert_hint": "How much do you agree?",
        "survey.skip_option": "no answer",
        "survey.honeypot": "Please leave this field empty",
        "survey.send": "Send answers",
        "survey.errors": "The answers were not stored. Please check:",
        "survey.error.answers": "Please answer at least one question.",
        "survey.error.value": "Please choose one of the answers offered.",
        "survey.error.item": "This question does not exist (any more).",
        "survey.error.lang": "Unknown language.",
        "survey.too_many": "Several answers came from this connection this hour already. Please try again "
        "later.",
        "thanks.title": "Thank you!",
        "thanks.text": "Your answers have arrived. The month's results appear on the “Trust” page once the "
        "month has ended and at least 10 answers are in.",
        "thanks.results": "See the results",
        "thanks.answers": "The right answers:",
        "trust.title": "Trust",
        "trust.intro": "Do people understand what freiweg does? Do they trust it, and do they think it is "
        "right? The city asks all the time in a survey; here are the results for each month.",
        "trust.method": "Understanding: share of right answers. Trust and acceptance: statements from 1 "
        "(strongly disagree) to 5 (strongly agree), scaled to 0–100. In brackets the range that holds the "
        "true value with 95 % probability. A figure appears only once the month has ended and at least "
        "{threshold} answers stand behind it: so no single answer can be worked out from two readings of "
        "this page.",
        "trust.demo": "Includes simulated demo answers.",
        "trust.take_part": "Take the survey yourself",
        "trust.csv": "All figures as CSV",
        "trust.no_data": "No answers yet.",
        "trust.too_few": "too few answers",
        "trust.open_month": "month still open",
        "trust.chart_desc": "Line chart per month, 0 to 100. {points}",
        "trust.table": "The figures as a table",
        "trust.month": "Month",
        "trust.answers": "Answers",
        "trust.range": "{value} ({low}–{high})",
        "construct.understanding": "Understanding",
        "construct.trust": "Trust",
        "construct.acceptance": "Acceptance",
        "construct.page_help": "Sensor page helped",
        "trust.questions": "Questions to the city",
        "trust.questions_intro": "Questions, concerns and objections sent through “Have your say”: how many "
        "have a public answer and how long an answer typically took (median).",
        "trust.questions_none": "No questions yet.",
        "trust.questions_off": "Participation is not set up yet.",
        "trust.received": "received",
        "trust.answered": "answered",
        "trust.answered_share": "share answered",
        "trust.median": "median time to answer",
        "trust.hours": "{hours} h",
        "trust.checks": "Quick question on the sensor pages",
        "trust.checks_intro": "“What leaves this box?” – share of right answers, and how often the page "
        "helped.",
        "trust.checks_none": "No answers yet.",
        "trust.check_correct": "answered right",
        "trust.check_helped": "page helped",
        "check.heading": "Quick question",
        "check.help": "Did this page help you?",
        "check.yes": "yes",
        "check.no": "no",
        "check.send": "Send answer",
        "check.honeypot": "Please leave this field empty",
        "check.thanks": "Thank you! The right answer: only counts leave the box – no identifiers, no photos.",
        "check.right": "Your answer is right – thank you! Only counts leave the box: no identifiers, no "
        "photos.",
        "check.wrong": "Your answer is not right – thank you all the same! The right answer: only counts "
        "leave the box, no identifiers, no photos.",
        "check.back": "Back to the sensor page",
        "check.privacy": "Stored: sensor, month, right or wrong, helped or not. Nothing else.",
        "check.results": "Results of all sensor pages",
        "check.missing": "Please choose an answer or say whether the page helped.",
        "check.later": "Many answers came from this connection this hour already. Thank you – please try "
        "again in the next hour.",
    },
}


def say(language: str, key: str, **values: object) -> str:
    """The message key in language (falling back to the live page's catalogue), placeholders filled."""
    text = MESSAGES[language].get(key) or BASE_MESSAGES[language][key]
    return text.format(**values) if values else text
