"""What a team's open queue pages get when a case of that team changes: the queue list as the
queue page renders it, rendered once per team (through console.live.publish)."""

from django.template.loader import render_to_string

from console.cases.models import Team
from console.live.groups import team_group
from console.live.publish import publish
from console.queues.selectors import team_queue


def queue_message(team: str) -> dict:
    """The team's queue as it stands now; one rendering for every open queue page."""
    html = render_to_string(
        "cases/queue.html#queue-list", {"queue": team_queue(team=team), "teams": Team.choices, "oob": True}
    )
    return {"type": "queue.changed", "team": team, "html": html}


def case_changed(*, teams: tuple[str, ...]) -> None:
    """The reaction to ``CASE_CHANGED`` (console/reactions.py): a case of these teams was opened
    or changed (both teams when it moved); every open queue page of each team gets the queue as
    it now stands, rendered once per team."""
    for team in dict.fromkeys(teams):
        publish(team_group(team), lambda team=team: queue_message(team))


def customer_restricted(*, customer_id: int) -> None:
    """The reaction to ``CUSTOMER_RESTRICTED``: the customer's cases leave (or rejoin) the queues,
    which list no restricted customer; every team's queue goes out again."""
    case_changed(teams=tuple(Team.values))
