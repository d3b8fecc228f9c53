"""The console of the customer picture: live's socket (console/live/consumers.py), told what it
shows of a customer: the header and panels, the entries a page missed, and the team queues a
queue page may follow."""

from django.conf import settings

from console.cases.models import Team
from console.customers.models import Customer
from console.customers.selectors import visible_customers
from console.live.consumers import ConsoleConsumer
from console.picture.fragments import panels_now, render_entries
from console.timeline.models import TimelineEntry


class PictureConsole(ConsoleConsumer):
    @staticmethod
    def customer_exists(customer_id: int, user) -> bool:
        return visible_customers(user).filter(pk=customer_id).exists()

    @staticmethod
    def team_exists(team: str) -> bool:
        return team in Team.values

    @staticmethod
    def panels_now(customer_id: int, *, finance: bool) -> tuple[str, int]:
        return panels_now(customer_id, finance=finance)

    @staticmethod
    def missing_entries(customer_id: int, after: int, finance: bool, panels: bool) -> tuple[str, str, int, int, bool]:
        """The panels come along when entries were missed, or when asked for (a page back from
        a lost connection: a flag may have changed)."""
        limit = settings.LIVE_REPLAY_LIMIT
        entries = list(
            TimelineEntry.objects.filter(customer_id=customer_id, seq__gt=after)
            .select_related("actor_user")
            .order_by("seq")[: limit + 1]
        )
        if len(entries) > limit:
            return "", "", after, 0, True
        upto = entries[-1].seq if entries else after
        if not entries and not panels:
            return "", "", upto, 0, False
        # Whatever the missed entries changed (orders, flags) comes along: the panels as they are now.
        html, panels_seq = panels_now(customer_id, finance=finance)
        return render_entries(entries, finance=finance), html, upto, panels_seq, False

    @staticmethod
    def latest_seqs(customer_ids: list[int]) -> dict[int, int]:
        return dict(Customer.objects.filter(pk__in=customer_ids).values_list("pk", "last_seq"))
