"""Public forms in tests: the double-submit token a page hands out with its forms."""

from __future__ import annotations

import re
from typing import Any

from freiweg.web.public_forms import FORM_FIELD


def form_token_of(page: str) -> str:
    """The token in the hidden field of a page's forms."""
    found = re.search(rf'name="{FORM_FIELD}" value="([^"]+)"', page)
    assert found, "the page has no form token"
    return found.group(1)


def with_token(client: Any, page: str, fields: dict[str, str]) -> dict[str, str]:
    """fields plus the token of page's forms; loading the page also gives client the cookie."""
    return {**fields, FORM_FIELD: form_token_of(client.get(page).text)}
