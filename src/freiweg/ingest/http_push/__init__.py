"""HTTP push: the reference JSON format sensors and city counters POST to /api/v1/counts."""

SOURCE = "http_push"
