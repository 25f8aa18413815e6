"""CSV import: exports of laser and camera counters, hourly or finer, one or two directions."""

SOURCE = "csv_import"
