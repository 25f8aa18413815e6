"""The public transparency log (checkpoint, key, entries, proofs, cosignatures), disclosures, releases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, PlainTextResponse, Response

from freiweg.api.deps import ServicesDep
from freiweg.api.problems import problem
from freiweg.services.transparency import LogIntegrityError
from freiweg.settings import UnsafeSettings

router = APIRouter(prefix="/api/v1", tags=["transparency"])
TEXT = "text/plain; charset=utf-8"
NO_CACHE = {"Cache-Control": "no-cache"}
T = TypeVar("T")


def _guarded(call: Callable[[], T]) -> T | Response:
    try:
        return call()
    except UnsafeSettings as error:
        return problem(503, "The log has no signing key.", detail=str(error))
    except LogIntegrityError as error:
        return problem(500, "The stored log does not match its signed checkpoints.", detail=str(error))


@router.get("/log/checkpoint", response_class=PlainTextResponse)
def checkpoint(services: ServicesDep) -> Response:
    """The newest signed checkpoint (C2SP signed note) with the witnesses' cosignatures."""
    note = _guarded(services.transparency.log.checkpoint)
    if isinstance(note, Response):
        return note
    return Response(note, media_type=TEXT, headers=NO_CACHE)


@router.get("/log/key", response_class=PlainTextResponse)
def key(services: ServicesDep) -> Response:
    """The verifier key of the log (<name>+<key id>+<base64 Ed25519 key>)."""
    text = _guarded(services.transparency.log.key_text)
    if isinstance(text, Response):
        return text
    return Response(text + "\n", media_type=TEXT)


@router.get("/log/entries")
def entries(
    services: ServicesDep,
    start: Annotated[int, Query(ge=0, description="Index of the first entry.")] = 0,
    end: Annotated[
        int | None, Query(gt=0, description="Index after the last entry (at most 1000 per page).")
    ] = None,
) -> JSONResponse:
    """Entries with their canonical JSON text (the hashed bytes) and base64 leaf hash."""
    found = services.transparency.log.entries(start, end)
    return JSONResponse({"start": start, "entries": found}, headers=NO_CACHE)


@router.get("/log/proof/inclusion")
def inclusion_proof(
    services: ServicesDep,
    index: Annotated[int, Query(ge=0, description="Index of the entry.")],
    size: Annotated[int, Query(gt=0, description="Size of the tree (from a checkpoint).")],
) -> JSONResponse:
    """The RFC 9162 inclusion proof (audit path, base64, lowest node first)."""
    path = services.transparency.log.inclusion_proof(index, size)
    return JSONResponse({"index": index, "tree_size": size, "inclusion_path": path})


@router.get("/log/proof/consistency")
def consistency_proof(
    services: ServicesDep,
    old_size: Annotated[int, Query(alias="from", ge=0, description="The older tree size.")],
    new_size: Annotated[int, Query(alias="to", ge=0, description="The newer tree size.")],
) -> JSONResponse:
    """The RFC 9162 consistency proof between two tree sizes (base64, in RFC order)."""
    path = services.transparency.log.consistency_proof(old_size, new_size)
    return JSONResponse({"from": old_size, "to": new_size, "consistency_path": path})


@router.post("/log/cosignatures")
async def cosignatures(request: Request, services: ServicesDep) -> Response:
    """Accept a checkpoint this log signed, carrying cosignature/v1 lines of registered witnesses."""
    body = (await request.body()).decode("utf-8", errors="replace")
    accepted = await run_in_threadpool(services.transparency.log.add_cosignatures, body)
    return JSONResponse({"accepted": accepted})


@router.get("/log/witnesses")
def witnesses(services: ServicesDep) -> JSONResponse:
    """The independent witnesses whose cosignatures this log accepts, with their keys."""
    return JSONResponse({"witnesses": services.transparency.log.witnesses()})


@router.get("/sensors/{sensor_id}/disclosure")
def disclosure(sensor_id: str, services: ServicesDep) -> Response:
    """The sensor's newest published disclosure, its version and the SHA-256 the log recorded."""
    current = services.transparency.disclosures.current(sensor_id)
    if current is None:
        return problem(404, "Not found.", detail=f"sensor {sensor_id!r} has no published disclosure")
    body: dict[str, Any] = {
        "sensor": current.sensor_id,
        "version": current.version,
        "sha256": current.sha256,
        "published_at": current.published_at,
        "document": current.document,
    }
    return JSONResponse(body)


@router.get("/releases")
def releases(services: ServicesDep) -> JSONResponse:
    """Logged edge software releases by code hash, newest first."""
    return JSONResponse({"releases": services.transparency.releases.releases()})
