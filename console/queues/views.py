"""The team queue pages: a team's open cases, live (console/queues/fragments.py)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from console.accounts.roles import Capability, require
from console.cases.models import Team
from console.cases.selectors import team_for_user
from console.queues.selectors import team_queue

QUEUE = "cases/queue.html"


@require_GET
def queues(request):
    """The queue of the agent's own team."""
    require(request.user, Capability.VIEW_CUSTOMERS)
    return redirect("queues:queue", team=team_for_user(request.user))


@require_GET
def queue(request, team):
    """A team's open cases, soonest due first, live. Any agent may look at any team's queue:
    colleagues cover for each other, and nothing on it is more than they see on a picture."""
    require(request.user, Capability.VIEW_CUSTOMERS)
    if team not in Team.values:
        raise Http404("No such team.")
    context = {"queue": team_queue(team=team), "teams": Team.choices}
    return render(request, f"{QUEUE}#queue-list" if request.htmx else QUEUE, context)
