"""The set of services an entry point works with, assembled by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from freiweg.services.areas import AreaService
from freiweg.services.clock import Clock
from freiweg.services.crowd import CrowdService
from freiweg.services.flood_guard import FLOOD_LIMITS, FloodGuard
from freiweg.services.guidance_services import GuidanceServices
from freiweg.services.intake import IntakeService
from freiweg.services.sensors import SensorService
from freiweg.services.transparency_center import TransparencyCenter
from freiweg.settings import Settings
from freiweg.storage.unit_of_work import Database

if TYPE_CHECKING:
    from freiweg.services.calibration_sessions import CalibrationSessionService
    from freiweg.services.events import EventService
    from freiweg.services.feedback import FeedbackService
    from freiweg.services.forecasts import ForecastService
    from freiweg.services.lorawan import LorawanService
    from freiweg.services.survey import SurveyService


@dataclass
class Services:
    """Everything the API, the pages and the CLI call."""

    settings: Settings
    database: Database
    clock: Clock
    areas: AreaService
    sensors: SensorService
    intake: IntakeService
    crowd: CrowdService
    transparency: TransparencyCenter

    @cached_property
    def forecasts(self) -> ForecastService | None:
        """Area forecasts for the next 48 hours; None when the forecast extra is not installed."""
        try:
            from freiweg.services.forecasts import ForecastService
        except ImportError:
            return None
        from freiweg.forecasting.calendar import LocalCalendar

        calendar = LocalCalendar(self.settings.holiday_country, self.settings.holiday_state, "de")
        return ForecastService(
            database=self.database, clock=self.clock, timezone=self.settings.timezone, calendar=calendar
        )

    @cached_property
    def lorawan(self) -> LorawanService:
        """Uplinks from TTN and ChirpStack, by webhook or MQTT."""
        from freiweg.services.lorawan import LorawanService

        return LorawanService(database=self.database, clock=self.clock)

    @cached_property
    def calibration_sessions(self) -> CalibrationSessionService:
        """Manual count sessions and the fitted devices-to-people factors."""
        from freiweg.services.calibration_sessions import CalibrationSessionService

        return CalibrationSessionService(database=self.database, clock=self.clock, sensors=self.sensors)

    @cached_property
    def events(self) -> EventService:
        """The operator's events calendar."""
        from freiweg.services.events import EventService

        return EventService(database=self.database, clock=self.clock, timezone=self.settings.timezone)

    @cached_property
    def flood_guard(self) -> FloodGuard:
        """Hourly limits on public writes (feedback, support for ideas, survey answers) per source."""
        return FloodGuard(self.clock, limits=dict(FLOOD_LIMITS))

    @cached_property
    def feedback(self) -> FeedbackService:
        """Questions, concerns, objections and ideas from residents, their moderation and public answers."""
        from freiweg.services.feedback import FeedbackService

        return FeedbackService(
            database=self.database,
            clock=self.clock,
            flood_guard=self.flood_guard,
            access=self.transparency.access,
            timezone=self.settings.timezone,
        )

    @cached_property
    def survey(self) -> SurveyService:
        """The standing survey, the sensor pages' checks and the trust dashboard's figures."""
        from freiweg.services.survey import SurveyService

        return SurveyService(
            database=self.database,
            clock=self.clock,
            timezone=self.settings.timezone,
            flood_guard=self.flood_guard,
            answer_statistics=lambda: self.feedback.monthly_answer_statistics(),
        )

    @cached_property
    def guidance(self) -> GuidanceServices:
        """Places, routes, alternatives and the group planner, built on first use."""
        return GuidanceServices.build(
            database=self.database,
            clock=self.clock,
            crowd=self.crowd,
            timezone=self.settings.timezone,
            forecasts=getattr(self, "forecasts", None),
        )
