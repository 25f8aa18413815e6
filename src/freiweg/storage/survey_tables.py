"""Tables of the survey: operator-added items, anonymous answers by month, and sensor-page checks."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, Integer, String, Table

from freiweg.storage.tables import metadata

# Items the operators add; the shipped instrument lives in the code (domain/survey.py).
survey_items = Table(
    "survey_items",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("text_de", String(300), nullable=False),
    Column("text_en", String(300), nullable=False),
    Column("options", JSON, nullable=False),
    Column("correct", Integer, nullable=True),
    Column("created_at", BigInteger, nullable=False),
)

# One row per answered item. A response is a random id grouping its answers; the only time kept
# is the month. No address, browser, cookie or exact time is stored.
survey_answers = Table(
    "survey_answers",
    metadata,
    Column("response_id", String(32), primary_key=True),
    Column("item_id", String(40), primary_key=True),
    Column("month", String(7), nullable=False),
    Column("language", String(2), nullable=False),
    Column("value", Integer, nullable=False),
    Column("demo", Boolean, nullable=False, default=False),
)
# The monthly tally (SurveyRepository.month_tallies) groups by month and response and reads item and
# value: with all four in this index, in this order, it reads the index alone, already grouped.
# Month comes first, so the index also serves every lookup by month (it replaced one on month alone).
Index(
    "ix_survey_answers_tally",
    survey_answers.c.month,
    survey_answers.c.response_id,
    survey_answers.c.item_id,
    survey_answers.c.value,
)

# The sensor pages' comprehension check: right or wrong (or not answered), helped or not.
survey_checks = Table(
    "survey_checks",
    metadata,
    Column("check_id", String(32), primary_key=True),
    Column("sensor_id", String(63), nullable=False),
    Column("month", String(7), nullable=False),
    Column("correct", Boolean, nullable=True),
    Column("helped", Boolean, nullable=True),
    Column("demo", Boolean, nullable=False, default=False),
)
Index("ix_survey_checks_month", survey_checks.c.month)
