"""The demo old town's simulated sensors: one or two per area, each with its calibration."""

from __future__ import annotations

from freiweg.demo.simulation import SimulatedSensor

# Peak people are what each area holds at the busiest hour of the week in the simulation,
# chosen so the narrow bridges and lanes reach "crowded" while the large squares stay roomier.
DEMO_SENSORS: tuple[SimulatedSensor, ...] = (
    SimulatedSensor("domplatz-1", "domplatz", "wifi", 300, 1500, 0.80, 0.65, 0.95, 10.88290, 49.89110),
    SimulatedSensor("domplatz-2", "domplatz", "paxcounter", 60, 700, 1.10, 0.85, 1.40, 10.88250, 49.89140),
    SimulatedSensor(
        "obere-bruecke-1", "obere-bruecke", "wifi", 300, 900, 0.75, 0.60, 0.90, 10.88680, 49.89170
    ),
    SimulatedSensor(
        "untere-bruecke-1", "untere-bruecke", "paxcounter", 60, 560, 1.10, 0.85, 1.40, 10.88620, 49.89225
    ),
    SimulatedSensor(
        "gruener-markt-1", "gruener-markt", "wifi", 300, 1200, 0.80, 0.65, 0.95, 10.88900, 49.89300
    ),
    SimulatedSensor(
        "maximiliansplatz-1", "maximiliansplatz", "wifi", 300, 1300, 0.80, 0.65, 0.95, 10.88790, 49.89440
    ),
    SimulatedSensor(
        "klein-venedig-1", "klein-venedig", "paxcounter", 60, 620, 1.10, 0.85, 1.40, 10.88520, 49.89400
    ),
    SimulatedSensor(
        "michelsberg-1",
        "michelsberg",
        "wifi",
        300,
        700,
        0.80,
        0.65,
        0.95,
        10.88000,
        49.89380,
        outage_every_hours=3,
        outage_minutes=25,
    ),
    SimulatedSensor("sandstrasse-1", "sandstrasse", "wifi", 300, 900, 0.80, 0.65, 0.95, 10.88400, 49.89200),
    SimulatedSensor(
        "karolinenstrasse-1", "karolinenstrasse", "wifi", 300, 800, 0.80, 0.65, 0.95, 10.88500, 49.89120
    ),
    SimulatedSensor("obstmarkt-1", "obstmarkt", "paxcounter", 60, 1000, 1.10, 0.85, 1.40, 10.88800, 49.89220),
)
