"""The one list of routes anyone may call; every other route requires a staff role or the operator token."""

from __future__ import annotations

from typing import Final

# Pages and data for everyone (GET and HEAD).
PUBLIC_PAGES: Final = frozenset(
    {
        "/",
        "/index.json",
        "/status",
        "/status.json",
        "/sensors",
        "/sensors.json",
        "/sensors/{sensor_id}",
        "/sensors/{sensor_id}.json",
        "/transparency",
        "/transparency.json",
        "/transparency/processing",
        "/transparency/processing.json",
        "/transparency/not-collected",
        "/transparency/not-collected.json",
        "/api/openapi.json",
        "/api/docs",
        "/docs/oauth2-redirect",
        "/api/v1/areas",
        "/api/v1/areas/{area_id}",
        "/api/v1/health",
        "/api/v1/releases",
        "/api/v1/sensors/{sensor_id}/calibration",
        "/api/v1/sensors/{sensor_id}/disclosure",
        "/api/v1/log/checkpoint",
        "/api/v1/log/key",
        "/api/v1/log/entries",
        "/api/v1/log/proof/inclusion",
        "/api/v1/log/proof/consistency",
        "/api/v1/log/witnesses",
        # Guidance for visitors, guides and shops: places, routes, the group planner, kiosk, widget.
        "/areas/{area_id}",
        "/areas/{area_id}.json",
        "/places",
        "/places.json",
        "/route",
        "/route.json",
        "/planner",
        "/planner.json",
        "/kiosk",
        "/kiosk.json",
        "/widget",
        "/widget.json",
        "/api/v1/places",
        "/api/v1/areas/{area_id}/day",
        "/api/v1/route",
        "/api/v1/plan",
        "/api/v1/reservations",
        # Forecasts per area and per sensor, and the public events calendar (changing events needs
        # the operator).
        "/api/v1/areas/{area_id}/forecast",
        "/api/v1/sensors/{sensor_id}/forecast",
        "/api/v1/events",
        # Participation: published feedback with answers, the project page and how not to be counted.
        "/api/v1/feedback",
        "/participate",
        "/participate.json",
        "/opt-out",
        "/opt-out.json",
        # The standing survey, its thank-you page and the trust dashboard with its CSV.
        "/survey",
        "/survey.json",
        "/survey/thanks",
        "/survey/thanks.json",
        "/trust",
        "/trust.json",
        "/trust.csv",
        "/api/v1/survey",
    }
)

# Writes anyone may send because the body or a secret proves who sends it, or that are public by
# design: sensor intake
# (sensor token, network-server secret), witness cosignatures (checked signatures), and the
# sign-in and invitation forms themselves.
PUBLIC_WRITES: Final = frozenset(
    {
        ("POST", "/api/v1/counts"),
        ("POST", "/api/v1/ingest/ttn"),
        ("POST", "/api/v1/ingest/chirpstack"),
        ("POST", "/api/v1/log/cosignatures"),
        # Group reservations under a label naming no person; cancelling needs the reservation's code.
        ("POST", "/api/v1/reservations"),
        ("POST", "/api/v1/reservations/{reservation_id}/cancel"),
        ("POST", "/planner/reserve"),
        ("POST", "/planner/cancel"),
        # Feedback and support for ideas without an account: moderated, flood-limited, nothing personal kept.
        ("POST", "/api/v1/feedback"),
        ("POST", "/api/v1/feedback/{item_id}/support"),
        ("POST", "/feedback"),
        ("POST", "/feedback/{item_id}/support"),
        # Survey answers and sensor-page checks: anonymous, flood-limited, stored by month only.
        ("POST", "/api/v1/survey/responses"),
        ("POST", "/api/v1/survey/checks"),
        ("POST", "/survey"),
        ("POST", "/sensors/{sensor_id}/check"),
        ("GET", "/console/login"),
        ("POST", "/console/login"),
        ("GET", "/console/invite/{invitation}"),
        ("POST", "/console/invite/{invitation}"),
    }
)


def is_public(method: str, path: str) -> bool:
    """True when method and path template need no staff role."""
    if method in ("GET", "HEAD") and path in PUBLIC_PAGES:
        return True
    return (method, path) in PUBLIC_WRITES
