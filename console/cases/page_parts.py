"""The parts of the case page that apps above cases read: the callbacks promised on the case
(callbacks) and where the case's journey stands (journeys).

The case page is cases' own, and its views gather everything it shows before it renders, so no
template tag reads the database. Two of its parts belong to apps above cases, which cases may
not import (docs/architecture.md). So each of those apps registers, in its ``AppConfig.ready``,
the function that reads its part for a case (``part_reader``), as reactions are registered in
``console/reactions.py``; the case page's views read the parts the response shows
(``parts_read``) and pass them to the template with the rest.
"""

from collections.abc import Callable, Iterable

# Callbacks' part: ``callback_panel``, the context of callbacks/case_panel.html#callback-panel.
CALLBACKS = "callbacks"
# Journeys' part: ``journey_progress``, where the case's journey stands (None for another kind).
JOURNEY = "journey"
KNOWN = (CALLBACKS, JOURNEY)

_readers: dict[str, Callable[..., dict]] = {}


def part_reader(part: str, reader: Callable[..., dict]) -> None:
    """``reader(case=..., user=...)`` reads ``part`` for the case page: a dict for its template.
    Called from an app's ``AppConfig.ready``; registering again replaces the reader."""
    _readers[_known(part)] = reader


def parts_read(*, parts: Iterable[str], case, user) -> dict:
    """The context of these parts of the page of ``case``, as ``user`` sees it."""
    context = {}
    for part in parts:
        context.update(_readers[_known(part)](case=case, user=user))
    return context


def _known(part: str) -> str:
    if part not in KNOWN:
        raise ValueError(f"Unknown case page part '{part}'; known: {', '.join(KNOWN)}.")
    return part
