"""Plain helpers in their own module (no Dagster): the migrated project gets them in helpers/."""

TAX_RATE = 0.25


def gross(totals: dict[str, float]) -> float:
    """The sum of the regional totals."""
    return sum(totals.values())
