"""Console pages for editors: sensors (register, token once, rotate, revoke, retire, sign, disclosure)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import EDITORS, RequireRole
from freiweg.domain.areas import AreaCategory
from freiweg.domain.errors import DomainError, FieldProblem, InvalidInput
from freiweg.domain.sensors import SensorKind
from freiweg.services.registry import Services
from freiweg.services.sensors import IssuedToken, sensor_facts
from freiweg.services.staff import StaffSession
from freiweg.web.console_i18n import translate
from freiweg.web.console_render import language_of, private_json, problem_text, render
from freiweg.web.signs import PAPER_SIZES, render_html, sign_context

router = APIRouter(prefix="/console", include_in_schema=False)
Editor = Annotated[StaffSession, Depends(RequireRole(*EDITORS))]


def _sensors(services: Services) -> dict[str, Any]:
    return {
        "sensors": [sensor_facts(s) for s in services.sensors.list_sensors()],
        "areas": [a.id for a in services.areas.list_areas()],
        "kinds": [k.value for k in SensorKind],
    }


async def _sensors_page(
    request: Request,
    services: Services,
    session: StaffSession,
    *,
    issued: IssuedToken | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    data = await run_in_threadpool(_sensors, services)
    data["issued"] = {"id": issued.id, "token": issued.token} if issued else None
    data["error"] = error
    return render(request, services, "console/sensors.html", data, session, status_code=status_code)


@router.get("/sensors.json")
async def sensors_json(services: ServicesDep, _session: Editor) -> Response:
    """Every sensor's public facts (never a token)."""
    return private_json(await run_in_threadpool(_sensors, services))


@router.get("/sensors")
async def sensors_page(request: Request, services: ServicesDep, session: Editor) -> Response:
    """Sensors: list, register, rotate, revoke, sign."""
    return await _sensors_page(request, services, session)


@router.post("/sensors")
async def register_sensor(
    request: Request,
    services: ServicesDep,
    session: Editor,
    sensor_id: Annotated[str, Form()],
    area: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    interval: Annotated[int | None, Form()] = None,
) -> Response:
    """Register a sensor with the same service as `freiweg sensor add`; show its token this once."""
    try:
        issued = await run_in_threadpool(
            lambda: services.sensors.add(
                sensor_id.strip(), area_id=area, kind=kind, interval_seconds=interval
            )
        )
    except DomainError as error:
        status, text = problem_text(error)
        return await _sensors_page(request, services, session, error=text, status_code=status)
    return await _sensors_page(request, services, session, issued=issued, status_code=201)


@router.post("/sensors/{sensor_id}/rotate")
async def rotate_token(sensor_id: str, request: Request, services: ServicesDep, session: Editor) -> Response:
    """Give the sensor a new token, shown this once; the old one stops working."""
    try:
        issued = await run_in_threadpool(services.sensors.rotate_token, sensor_id)
    except DomainError as error:
        status, text = problem_text(error)
        return await _sensors_page(request, services, session, error=text, status_code=status)
    return await _sensors_page(request, services, session, issued=issued)


@router.post("/sensors/{sensor_id}/revoke")
async def revoke_sensor(sensor_id: str, request: Request, services: ServicesDep, session: Editor) -> Response:
    """Revoke the sensor: its token stops working."""
    try:
        await run_in_threadpool(services.sensors.revoke, sensor_id)
    except DomainError as error:
        status, text = problem_text(error)
        return await _sensors_page(request, services, session, error=text, status_code=status)
    return RedirectResponse("/console/sensors", status_code=303)


@router.post("/sensors/{sensor_id}/retire")
async def retire_sensor(sensor_id: str, request: Request, services: ServicesDep, session: Editor) -> Response:
    """Retire the sensor for good: no more counts; its history and public page stay."""
    try:
        await run_in_threadpool(services.sensors.retire, sensor_id)
    except DomainError as error:
        status, text = problem_text(error)
        return await _sensors_page(request, services, session, error=text, status_code=status)
    return RedirectResponse("/console/sensors", status_code=303)


@router.post("/sensors/{sensor_id}/disclosure")
async def publish_disclosure(
    sensor_id: str, request: Request, services: ServicesDep, session: Editor
) -> Response:
    """Publish the sensor's disclosure drafted from its facts and the settings (logged)."""
    try:
        await run_in_threadpool(services.transparency.disclosures.publish, sensor_id)
    except DomainError as error:
        status, text = problem_text(error)
        return await _sensors_page(request, services, session, error=text, status_code=status)
    return RedirectResponse("/console/sensors", status_code=303)


@router.get("/sensors/{sensor_id}/sign")
async def print_sign(
    sensor_id: str, request: Request, services: ServicesDep, session: Editor, paper: str = "A4"
) -> Response:
    """The on-site sign as a printable page, the same as `freiweg sign` writes."""
    page = await run_in_threadpool(services.transparency.sensor_page, sensor_id)
    published = await run_in_threadpool(services.transparency.disclosures.current, sensor_id)
    if published is None:
        text = translate(language_of(request), "no_disclosure")
        return await _sensors_page(request, services, session, error=text, status_code=409)
    url = f"{services.settings.public_url.rstrip('/')}/sensors/{sensor_id}"
    html = render_html(
        sign_context(page, url=url, paper=paper.upper() if paper.upper() in PAPER_SIZES else "A4")
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _areas(services: Services) -> dict[str, Any]:
    return {
        "areas": [
            {
                "id": a.id,
                "name_de": a.name_de,
                "name_en": a.name_en,
                "category": a.category.value,
                "walkable_m2": round(a.walkable_m2, 1),
                "thresholds": a.thresholds.as_list(),
                "quiet_zone": a.quiet_zone,
                "rings": [[list(p) for p in ring] for ring in a.rings],
            }
            for a in services.areas.list_areas()
        ],
        "categories": [c.value for c in AreaCategory],
        "map": {"tiles": services.settings.tile_url, "attribution": services.settings.tile_attribution},
    }


async def _areas_page(
    request: Request, services: Services, session: StaffSession, extra: dict[str, Any], status_code: int = 200
) -> Response:
    data = {**(await run_in_threadpool(_areas, services)), **extra}
    if "form" not in data:
        editing = request.query_params.get("edit")
        data["form"] = next((a for a in data["areas"] if a["id"] == editing), None)
    return render(request, services, "console/areas.html", data, session, status_code=status_code)


@router.get("/areas.json")
async def areas_json(services: ServicesDep, _session: Editor) -> Response:
    """Every area with thresholds and quiet-zone flag."""
    return private_json(await run_in_threadpool(_areas, services))


@router.get("/areas")
async def areas_page(request: Request, services: ServicesDep, session: Editor) -> Response:
    """Areas: upload a GeoJSON file with outlines, thresholds and quiet-zone flags."""
    return await _areas_page(request, services, session, {})


@router.post("/areas")
async def upload_areas(
    request: Request, services: ServicesDep, session: Editor, file: Annotated[UploadFile, File()]
) -> Response:
    """Create or change areas from a FeatureCollection, with the same service as `freiweg area import`."""
    raw = await file.read()
    try:
        try:
            document = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidInput(
                [FieldProblem(None, "file", f"is not JSON: {error}")], title="The file was not imported."
            ) from error
        result = await run_in_threadpool(services.areas.import_areas, document)
    except DomainError as error:
        status, text = problem_text(error)
        return await _areas_page(request, services, session, {"error": text}, status)
    return await _areas_page(
        request, services, session, {"imported": {"created": result.created, "changed": result.changed}}
    )


def _numbers(raw: str, field: str) -> list[float]:
    """Numbers typed into one field, separated by '/', ';' or spaces; a comma may be the decimal mark."""
    parts = [p for p in raw.replace("/", " ").replace(";", " ").split() if p]
    try:
        return [float(p.replace(",", ".")) for p in parts]
    except ValueError as error:
        raise InvalidInput(
            [FieldProblem(None, field, "must be numbers, e.g. 0.3 / 0.7 / 1.2 / 2.0")],
            title="The area was not saved; nothing was changed.",
        ) from error


def drawn_feature(
    *,
    area_id: str,
    name_de: str,
    name_en: str,
    category: str,
    rings: str,
    thresholds: str,
    walkable_m2: str,
    quiet_zone: bool,
) -> dict[str, Any]:
    """A GeoJSON Feature from the drawing form, for the same validation and import as an uploaded file."""
    try:
        coordinates = json.loads(rings) if rings.strip() else None
    except ValueError as error:
        raise InvalidInput(
            [
                FieldProblem(
                    None, "geometry.coordinates", "draw the outline on the map (at least three points)"
                )
            ],
            title="The area was not saved; nothing was changed.",
        ) from error
    if not coordinates:
        raise InvalidInput(
            [
                FieldProblem(
                    None, "geometry.coordinates", "draw the outline on the map (at least three points)"
                )
            ],
            title="The area was not saved; nothing was changed.",
        )
    properties: dict[str, Any] = {
        "id": area_id.strip(),
        "name_de": name_de,
        "name_en": name_en,
        "category": category,
        "quiet_zone": quiet_zone,
    }
    if thresholds.strip():
        properties["thresholds"] = _numbers(thresholds, "properties.thresholds")
    if walkable_m2.strip():
        walkable = _numbers(walkable_m2, "properties.walkable_m2")
        properties["walkable_m2"] = walkable[0] if len(walkable) == 1 else -1
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": coordinates},
    }


@router.post("/areas/drawn")
async def save_drawn_area(
    request: Request,
    services: ServicesDep,
    session: Editor,
    area_id: Annotated[str, Form()],
    name_de: Annotated[str, Form()],
    name_en: Annotated[str, Form()],
    category: Annotated[str, Form()],
    rings: Annotated[str, Form()] = "",
    thresholds: Annotated[str, Form()] = "",
    walkable_m2: Annotated[str, Form()] = "",
    quiet_zone: Annotated[bool, Form()] = False,
) -> Response:
    """Create or change one area drawn on the map (outline, thresholds, quiet zone); logged like an import."""
    typed = {
        "id": area_id,
        "name_de": name_de,
        "name_en": name_en,
        "category": category,
        "thresholds": thresholds,
        "walkable_m2": walkable_m2,
        "quiet_zone": quiet_zone,
        "rings_json": rings,
    }
    try:
        feature = drawn_feature(
            area_id=area_id,
            name_de=name_de,
            name_en=name_en,
            category=category,
            rings=rings,
            thresholds=thresholds,
            walkable_m2=walkable_m2,
            quiet_zone=quiet_zone,
        )
        result = await run_in_threadpool(
            services.areas.import_areas, {"type": "FeatureCollection", "features": [feature]}
        )
    except DomainError as error:
        status, text = problem_text(error)
        return await _areas_page(request, services, session, {"error": text, "form": typed}, status)
    imported = {"created": result.created, "changed": result.changed}
    return await _areas_page(
        request, services, session, {"imported": imported, "form": None}, 201 if result.created else 200
    )
