"""Use cases: the only code that opens a unit of work; entry points call these, never storage."""
