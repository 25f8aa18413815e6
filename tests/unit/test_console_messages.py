"""The console's message catalogue: both languages say the same things, and templates use only known keys."""

from __future__ import annotations

import re
from pathlib import Path

from freiweg.web.console_i18n import MESSAGES

TEMPLATES = Path(__file__).parents[2] / "src" / "freiweg" / "web" / "templates" / "console"
USED = re.compile(r"""_\(\s*["']([a-z_.]+)["']""")


def test_german_and_english_have_the_same_messages() -> None:
    assert set(MESSAGES["de"]) == set(MESSAGES["en"])


def test_every_message_a_console_template_uses_exists() -> None:
    used = {
        key
        for path in TEMPLATES.glob("*.html")
        if path.name != "status.html"
        for key in USED.findall(path.read_text())
    }
    assert used
    assert used - set(MESSAGES["de"]) == set()
