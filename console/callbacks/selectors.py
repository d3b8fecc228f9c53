from collections.abc import Iterable
from datetime import timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from console.callbacks.models import Callback
from console.cases.models import Case
from console.customers.models import Identifier
from console.messaging.selectors import may_take_sms

# A callback made this recently still takes the customer's SMS answer (to the text about it).
REPLY_AFTER_MADE = timedelta(days=2)


def phone_on_record(identifiers: Iterable[Identifier]) -> str:
    """The number a callback goes to when the agent types none: the newest mobile number, else
    the newest phone number (E.164), else "". The same rule as messaging's SMS recipient, so
    the number called is the number texted. Takes identifiers already loaded (the picture's)
    or a queryset."""
    phones = sorted(
        (i for i in identifiers if i.kind == Identifier.Kind.PHONE),
        key=lambda i: (i.created_at, i.pk),
        reverse=True,
    )
    mobile = next((i.value for i in phones if may_take_sms(i.value)), "")
    return mobile or (phones[0].value if phones else "")


def open_callback_case_for_reply(customer_id: int) -> Case | None:
    """The case an SMS from the customer without a case number belongs to: the open case of
    their most recently promised callback that is still promised, or was made within the last
    two days (story S5: the customer answers the "new time" text)."""
    recent = Q(status=Callback.Status.PROMISED) | Q(
        status=Callback.Status.MADE, made_at__gte=timezone.now() - REPLY_AFTER_MADE
    )
    callback = (
        Callback.objects.filter(recent, customer_id=customer_id, case__status__in=Case.OPEN_STATUSES)
        .select_related("case")
        .order_by("-promised_at", "-id")
        .first()
    )
    return callback.case if callback else None


def case_callbacks(*, case_id: int) -> list[Callback]:
    """The callbacks promised on a case: the ones still to make first, soonest window first."""
    callbacks = Callback.objects.filter(case_id=case_id).select_related("promised_by", "made_by")
    return sorted(callbacks, key=lambda c: (not c.is_promised, c.window_end))


# What a queue row shows of a case's next promised callback, read in the queue's own query.
QUEUE_FIELDS = ("phone", "window_start", "window_end", "moved_count")


def next_callback_annotations() -> dict:
    """For a list of cases (the team queue): the soonest promised callback of each case, as
    ``callback_<field>`` annotations, so the list costs no extra query however long it is."""
    soonest = Callback.objects.filter(case=OuterRef("pk"), status=Callback.Status.PROMISED).order_by("window_end", "id")
    return {f"callback_{field}": Subquery(soonest.values(field)[:1]) for field in QUEUE_FIELDS}


def next_callback_of(case: Case) -> Callback | None:
    """The callback ``next_callback_annotations`` read for this case (unsaved), or None."""
    if getattr(case, "callback_phone", None) is None:
        return None
    return Callback(
        case=case, status=Callback.Status.PROMISED, **{f: getattr(case, f"callback_{f}") for f in QUEUE_FIELDS}
    )
