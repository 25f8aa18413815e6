"""The job settings: on by default, off on request, and a housekeeping time that must be a time of day."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from freiweg.services.jobs import DailyAt
from freiweg.settings import Settings


def test_jobs_run_in_the_server_unless_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FREIWEG_JOBS", "FREIWEG_ALERT_CHECK_SECONDS", "FREIWEG_HOUSEKEEPING_AT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert (settings.jobs, settings.alert_check_seconds, settings.housekeeping_at) == ("on", 60, "03:30")
    monkeypatch.setenv("FREIWEG_JOBS", "off")
    monkeypatch.setenv("FREIWEG_HOUSEKEEPING_AT", "22:05")
    changed = Settings()
    assert changed.jobs == "off" and DailyAt.parse(changed.housekeeping_at) == DailyAt(22, 5)


@pytest.mark.parametrize("value", ["3:30", "24:00", "03:60", "half past three"])
def test_a_housekeeping_time_that_is_no_time_of_day_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="housekeeping_at"):
        Settings(housekeeping_at=value)


def test_an_unknown_jobs_switch_is_refused() -> None:
    with pytest.raises(ValidationError, match="jobs"):
        Settings(jobs="sometimes")  # type: ignore[arg-type]
