"""Arbitrary input to the participation API and its forms never causes a server error."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freiweg.services.registry import Services

PROBLEM_JSON = "application/problem+json"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
topics = st.one_of(st.sampled_from(["project", "area:", "sensor:x", "area:domplatz"]), st.text(max_size=30))


def feedback_bodies() -> st.SearchStrategy[Any]:
    """Bodies that look like feedback, with any field of any type, and plain garbage."""
    return st.one_of(
        values,
        st.fixed_dictionaries(
            {},
            optional={"topic": st.one_of(topics, values), "kind": values, "text": values, "lang": values},
        ),
    )


def survey_bodies() -> st.SearchStrategy[Any]:
    """Bodies that look like survey responses or sensor-page checks, and plain garbage."""
    answer = st.fixed_dictionaries(
        {}, optional={"item": st.one_of(st.sampled_from(["trust-honest", "x"]), values), "value": values}
    )
    return st.one_of(
        values,
        st.fixed_dictionaries({}, optional={"answers": st.one_of(st.lists(answer, max_size=5), values)}),
        st.fixed_dictionaries(
            {}, optional={"sensor_id": values, "answer": values, "helped": values, "lang": values}
        ),
    )


def refused_as_problem(answer: Any) -> None:
    """No server error; a refusal of the API is problem+json."""
    assert answer.status_code < 500, answer.text
    if answer.status_code >= 400:
        assert answer.headers["content-type"].startswith(PROBLEM_JSON)


def test_arbitrary_feedback_bodies_are_taken_or_refused_as_problems(client: Any, services: Services) -> None:
    @FUZZ
    @given(body=feedback_bodies())
    def send(body: Any) -> None:
        refused_as_problem(client.post("/api/v1/feedback", json=body))

    send()


def test_arbitrary_topics_and_item_numbers_never_cause_a_server_error(client: Any) -> None:
    @FUZZ
    @given(topic=topics, item=st.integers(min_value=-(2**70), max_value=2**70))
    def read(topic: str, item: int) -> None:
        refused_as_problem(client.get("/api/v1/feedback", params={"topic": topic}))
        refused_as_problem(client.post(f"/api/v1/feedback/{item}/support", json={}))

    read()


def test_arbitrary_survey_bodies_are_taken_or_refused_as_problems(client: Any) -> None:
    @FUZZ
    @given(body=survey_bodies())
    def send(body: Any) -> None:
        refused_as_problem(client.post("/api/v1/survey/responses", json=body))
        refused_as_problem(client.post("/api/v1/survey/checks", json=body))

    send()


def test_arbitrary_form_bodies_to_the_public_forms_never_cause_a_server_error(client: Any) -> None:
    token = "t" * 43
    client.cookies.set("freiweg_form", token)

    @FUZZ
    @given(
        fields=st.dictionaries(
            st.sampled_from(
                [
                    "topic",
                    "kind",
                    "text",
                    "lang",
                    "website",
                    "answer",
                    "helped",
                    "trust-honest",
                    "understanding-phone-id",
                ]
            ),
            st.text(max_size=60),
            max_size=6,
        ),
        raw=st.binary(max_size=200),
    )
    def send(fields: dict[str, str], raw: bytes) -> None:
        form = {**fields, "form_token": token}
        for path in ("/feedback", "/feedback/1/support", "/survey", "/sensors/x/check"):
            assert client.post(path, data=form).status_code < 500
            answer = client.post(
                path, content=raw, headers={"content-type": "application/x-www-form-urlencoded"}
            )
            assert answer.status_code < 500

    send()


def test_support_for_a_number_beyond_any_stored_item_is_a_404_problem(client: Any) -> None:
    for item in (2**31, 2**63, 10**30):
        answer = client.post(f"/api/v1/feedback/{item}/support", json={})
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith(PROBLEM_JSON)
