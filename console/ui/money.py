"""How the console writes amounts: ``EUR 1,240.00``; in a flag's reason ``EUR 1,240``."""

from decimal import Decimal


def euro(amount) -> str:
    if amount is None:
        return ""
    return f"EUR {Decimal(amount):,.2f}"


def euro_short(amount) -> str:
    """Whole euros without cents, the way the flag reasons in STORIES.md read."""
    amount = Decimal(amount)
    return f"EUR {amount:,.0f}" if amount == amount.to_integral() else euro(amount)
