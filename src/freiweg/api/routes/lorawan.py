"""LoRaWAN webhooks: TTN v3 uplink webhooks and ChirpStack v4 HTTP integration events."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.api.operator import Operator
from freiweg.api.problems import problem
from freiweg.api.schemas import problem_responses
from freiweg.ingest.chirpstack import SOURCE as CHIRPSTACK
from freiweg.ingest.chirpstack.config import UPLINK_EVENT
from freiweg.ingest.ttn import SOURCE as TTN
from freiweg.services.lorawan import LorawanService, UplinkOutcome
from freiweg.services.registry import Services

router = APIRouter(prefix="/api/v1/ingest", tags=["intake"])

SecretHeader = Annotated[
    str | None,
    Header(
        alias="X-Freiweg-Secret", description="The shared secret set in the network server's integration."
    ),
]
RESPONSES = problem_responses(
    _400="The body is not JSON.",
    _401="The X-Freiweg-Secret header is missing or wrong.",
    _413="The body is too large.",
    _422="The body is no uplink of this network server (recorded as rejected).",
    _503="Webhooks of this network server are switched off: its secret is not set.",
)
SETTING = {TTN: "FREIWEG_TTN_SECRET", CHIRPSTACK: "FREIWEG_CHIRPSTACK_SECRET"}


def lorawan_service(services: Services) -> LorawanService:
    """The LoRaWAN intake on the app's database and clock, built once per app."""
    return services.lorawan


def refused(network: str, expected: str | None, given: str | None) -> Response | None:
    """A problem answer when the secret is unset, missing or wrong; None when it matches."""
    if not expected:
        return problem(
            503,
            "Webhooks of this network server are switched off.",
            detail=f"Set {SETTING[network]} on the server and the same value as the "
            "X-Freiweg-Secret header in the integration.",
        )
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        return problem(401, "The X-Freiweg-Secret header is missing or wrong.")
    return None


async def receive(network: str, request: Request, services: Services) -> Response:
    """Hand the body to the intake; answer only after its counts are committed."""
    body = await request.body()
    service = lorawan_service(services)
    if services.database.is_sqlite:
        # One writer per process anyway: a hop to the thread pool costs more than the write.
        outcome = service.receive(network, body)
    else:
        outcome = await run_in_threadpool(service.receive, network, body)
    return answer(outcome)


def answer(outcome: UplinkOutcome) -> Response:
    """200 for stored or already stored, 202 for a recorded rejection, 422 for a body that is no uplink.

    A rejected uplink is answered 2xx on purpose: the network server cannot fix a device's
    payload by retrying, and The Things Stack suspends webhooks that keep failing, which would
    stop every other device of the application too.
    """
    if outcome.outcome == "rejected" and outcome.reason in ("malformed", "bad_base64"):
        return problem(
            422,
            "The body is no uplink message; it was recorded as rejected.",
            detail=outcome.detail,
            reason=outcome.reason,
        )
    status = 202 if outcome.outcome == "rejected" else 200
    return Response(orjson.dumps(outcome.as_json()), status_code=status, media_type="application/json")


@router.post("/ttn", responses=RESPONSES)
async def ttn_uplink(request: Request, services: ServicesDep, secret: SecretHeader = None) -> Response:
    """Take one TTN v3 uplink message (webhook with the 'uplink message' type enabled)."""
    denied = refused(TTN, services.settings.ttn_secret, secret)
    return denied or await receive(TTN, request, services)


@router.post("/chirpstack", responses=RESPONSES)
async def chirpstack_event(
    request: Request,
    services: ServicesDep,
    event: Annotated[str, Query(description="ChirpStack event type; only 'up' carries counts.")] = "",
    secret: SecretHeader = None,
) -> Response:
    """Take one ChirpStack v4 HTTP integration event; events other than 'up' are acknowledged and ignored."""
    denied = refused(CHIRPSTACK, services.settings.chirpstack_secret, secret)
    if denied:
        return denied
    if event != UPLINK_EVENT:
        return Response(status_code=204)
    return await receive(CHIRPSTACK, request, services)


@router.get("/rejections", responses=problem_responses(_401="Operator token missing or wrong."))
async def list_rejections(
    services: ServicesDep,
    _operator: Operator,
    source: Annotated[str | None, Query(description="ttn, chirpstack or mqtt.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, object]]:
    """The newest messages that became no count, and why (operators only)."""
    found = await run_in_threadpool(lorawan_service(services).rejections.recent, limit=limit, source=source)
    return [
        {
            "source": r.source,
            "device": r.device,
            "reason": r.reason,
            "detail": r.detail,
            "received_at": datetime.fromtimestamp(r.received_at, UTC).isoformat(),
        }
        for r in found
    ]
