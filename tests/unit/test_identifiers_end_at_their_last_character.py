"""Ids of sensors, areas, places and survey items may not end in a line break ("$" matches before one)."""

from __future__ import annotations

import pytest

from freiweg.domain.errors import InvalidInput
from freiweg.domain.sensors import check_identifier
from freiweg.domain.survey import new_item


def test_a_sensor_or_area_id_with_a_trailing_line_break_is_refused() -> None:
    check_identifier("domplatz-1", field="id")
    with pytest.raises(InvalidInput):
        check_identifier("domplatz-1\n", field="id")


def test_a_survey_item_id_with_a_trailing_line_break_is_refused() -> None:
    with pytest.raises(InvalidInput):
        new_item(item_id="trust-new\n", kind="trust", text_de="Gut.", text_en="Good.")
