"""Each team's queue of open cases, soonest due first (two queries however long)."""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from console.callbacks.selectors import next_callback_annotations
from console.cases.models import Case, Team
from console.customers.selectors import hidden_customers

# How many cases a queue page lists; the rest are counted ("and 40 more").
QUEUE_LIMIT = 100


@dataclass
class Queue:
    team: str
    label: str
    cases: list[Case]
    total: int
    overdue: int


def team_queue(*, team: str) -> Queue:
    """A team's open cases, soonest due first (so the overdue ones lead); cases without a due
    time come last, oldest first. Two queries whatever the length of the queue. The queue is one
    list for the whole team (pushed to its open queue pages alike), so restricted customers' cases
    are not in it: their members find them on the customer's picture (docs/privacy.md)."""
    now = timezone.now()
    open_cases = Case.objects.filter(team=team, status__in=Case.OPEN_STATUSES).exclude(
        customer_id__in=hidden_customers()
    )
    counts = open_cases.aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)))
    cases = list(
        open_cases.select_related("customer", "owner")
        .annotate(**next_callback_annotations())
        .order_by(F("due_at").asc(nulls_last=True), "created_at", "id")[:QUEUE_LIMIT]
    )
    return Queue(team=team, label=Team(team).label, cases=cases, total=counts["total"], overdue=counts["overdue"])
