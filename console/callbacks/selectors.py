from django.db.models import OuterRef, Subquery

from console.callbacks.models import Callback
from console.cases.models import Case


def open_callback_case_for_reply(customer_id: int) -> Case | None:
    """The case an SMS from the customer without a case number belongs to: the open case of
    their most recently promised callback (story S5: the customer answers the "new time" text)."""
    callback = (
        Callback.objects.filter(customer_id=customer_id, case__status__in=Case.OPEN_STATUSES)
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
