"""Writing flags: recomputation (one customer after an event, or everyone at night) and
managers' overrides. Every change leaves a line in ``FlagChange`` and reaches open consoles."""

from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.customers.models import Customer
from console.flags.fragments import flags_published
from console.flags.models import Flag, FlagChange
from console.flags.recompute import flags_query
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record

# Where ``because`` is not given: a change to the customer's own records started it.
RECORDS_CHANGED = "records changed"
NIGHTLY = "nightly recomputation"


def flags_recompute(*, customer_id: int | None = None, because: str = "") -> int:
    """Recompute the four flags of one customer, or of everyone (``customer_id=None``: the
    nightly run), from their records as they stand now. Returns how many customers' flags changed.

    Everyone is done in chunks of ``FLAGS_RECOMPUTE_CHUNK`` consecutive customer ids, each in its
    own transaction, so memory stays flat and no lock is held for long; within a chunk the work
    is two set statements, never a loop over customers.
    """
    if customer_id is not None:
        return _recompute(customer_ids=[customer_id], because=because or RECORDS_CHANGED)
    bounds = Customer.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return 0
    step = settings.FLAGS_RECOMPUTE_CHUNK
    return sum(
        _recompute(id_range=(lo, lo + step - 1), because=because or NIGHTLY)
        for lo in range(bounds["lo"], bounds["hi"] + 1, step)
    )


def _recompute(*, because: str, customer_ids: list[int] | None = None, id_range=None) -> int:
    """Two set statements: the history of every level that changes, then the flags themselves
    (an upsert that leaves unchanged rows alone and returns the changed ones, so only those are
    pushed to open consoles)."""
    now = timezone.now()
    query, params = flags_query(today=timezone.localdate(now), now=now, customer_ids=customer_ids, id_range=id_range)
    params |= {"now": connection.ops.adapt_datetimefield_value(now), "because": because[:200]}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO flags_flagchange
                      (customer_id, kind, level_before, level, reason, reason_without_amounts, because, changed_at)
                    SELECT n.customer_id, n.kind, COALESCE(f.level, ''), n.level, n.reason,
                           n.reason_without_amounts, CASE WHEN f.id IS NULL THEN 'first computed' ELSE %(because)s END,
                           %(now)s
                    FROM ({query}) n
                    LEFT JOIN flags_flag f ON f.customer_id = n.customer_id AND f.kind = n.kind
                    WHERE f.id IS NULL OR f.level <> n.level""",  # noqa: S608 - values are parameters
                params,
            )
            # "WHERE true" lets SQLite tell the upsert's ON CONFLICT from a join condition.
            cursor.execute(
                f"""INSERT INTO flags_flag
                      (customer_id, kind, level, reason, reason_without_amounts, amount_overdue, amount_open,
                       oldest_due_on, computed_at, changed_at, changed_because, override_level, override_reason)
                    SELECT n.customer_id, n.kind, n.level, n.reason, n.reason_without_amounts, n.amount_overdue,
                           n.amount_open, n.oldest_due_on, %(now)s, %(now)s, 'first computed', '', ''
                    FROM ({query}) n WHERE true
                    ON CONFLICT (customer_id, kind) DO UPDATE SET
                      changed_at = CASE WHEN flags_flag.level <> excluded.level
                                   THEN excluded.changed_at ELSE flags_flag.changed_at END,
                      changed_because = CASE WHEN flags_flag.level <> excluded.level
                                        THEN %(because)s ELSE flags_flag.changed_because END,
                      level = excluded.level,
                      reason = excluded.reason,
                      reason_without_amounts = excluded.reason_without_amounts,
                      amount_overdue = excluded.amount_overdue,
                      amount_open = excluded.amount_open,
                      oldest_due_on = excluded.oldest_due_on,
                      computed_at = excluded.computed_at
                    WHERE flags_flag.level <> excluded.level OR flags_flag.reason <> excluded.reason
                       OR flags_flag.reason_without_amounts <> excluded.reason_without_amounts
                    RETURNING customer_id""",  # noqa: S608 - values are parameters
                params,
            )
            changed = {row[0] for row in cursor.fetchall()}
        # Only a change is pushed: a recomputation that finds nothing new costs nothing live.
        if changed:
            flags_published(*changed)
    return len(changed)


def flags_ensure(*, customer_id: int) -> None:
    """Work out the flags of a customer that has none yet (one from before flags existed)."""
    if not Flag.objects.filter(customer_id=customer_id).exists():
        flags_recompute(customer_id=customer_id)


def flag_override_set(*, customer_id: int, kind: str, level: str, reason: str, until: datetime, user) -> Flag:
    """A manager sets a flag's level by hand, with a reason and an end date, after which the
    computed level shows again by itself. Audited, in the flag's history and on the timeline."""
    require(user, Capability.MANAGE_FLAGS)
    reason = reason.strip()
    now = timezone.now()
    if level not in Flag.LEVELS.get(kind, []):
        raise ValueError(f"{level!r} is not a level of the {kind} flag.")
    if not reason:
        raise ValueError("Say why you override the flag; colleagues see the reason on the badge.")
    if until <= now:
        raise ValueError("The end date must lie in the future.")
    with transaction.atomic():
        flag = _locked_flag(customer_id, kind)
        before = flag.effective_level
        flag.override_level, flag.override_reason, flag.override_until = level, reason[:300], until
        flag.override_by, flag.override_at = user, now
        flag.save(update_fields=["override_level", "override_reason", "override_until", "override_by", "override_at"])
        who = user.get_full_name() or user.username
        summary = (
            f"{flag.get_kind_display()} flag set to {flag.get_override_level_display()} by {who} "
            f"until {date_format(timezone.localtime(until), 'd-m-Y H:i')}: {reason}"
        )
        _history(flag, before=before, level=level, reason=summary, because="override", user=user, now=now)
        # Not the reason: free text about the customer, and the audit trail outlives an erasure.
        until_shown = date_format(timezone.localtime(until), "d-m-Y H:i")
        detail = f"{flag.get_kind_display()} flag set to {flag.get_override_level_display()} until {until_shown}"
        audit_event_record(actor=user, action=AuditEvent.Action.OVERRODE_FLAG, customer=flag.customer, detail=detail)
        _timeline(flag, summary=summary, user=user)
        flags_published(customer_id)
    return flag


def flag_override_end(*, flag_id: int, user=None, now: datetime | None = None) -> Flag:
    """End an override: a manager ends it early, or its end date has passed (``user`` None)."""
    if user is not None:
        require(user, Capability.MANAGE_FLAGS)
    now = now or timezone.now()
    with transaction.atomic():
        flag = Flag.objects.select_for_update().get(pk=flag_id)
        if not flag.override_level:
            return flag
        before = flag.override_level
        who = "its end date passed" if user is None else f"ended by {user.get_full_name() or user.username}"
        summary = f"Override of the {flag.get_kind_display().lower()} flag {who}; back to {flag.get_level_display()}"
        flag.override_level, flag.override_reason, flag.override_until, flag.override_by, flag.override_at = (
            "",
            "",
            None,
            None,
            None,
        )
        flag.save(update_fields=["override_level", "override_reason", "override_until", "override_by", "override_at"])
        _history(flag, before=before, level=flag.level, reason=summary, because="override ended", user=user, now=now)
        action = AuditEvent.Action.OVERRIDE_LAPSED if user is None else AuditEvent.Action.OVERRODE_FLAG
        audit_event_record(actor=user, action=action, customer=flag.customer, detail=summary)
        _timeline(flag, summary=summary, user=user)
        flags_published(flag.customer_id)
    return flag


def flags_overrides_lapse(*, now: datetime | None = None) -> int:
    """Take every override whose end date has passed off its badge. Run every minute (beat);
    the badge already shows the computed level the moment an override lapses, this writes it down."""
    now = now or timezone.now()
    lapsed = list(Flag.objects.exclude(override_level="").filter(override_until__lte=now).values_list("pk", flat=True))
    for pk in lapsed:
        flag_override_end(flag_id=pk, now=now)
    return len(lapsed)


def _locked_flag(customer_id: int, kind: str) -> Flag:
    flag = Flag.objects.select_for_update().filter(customer_id=customer_id, kind=kind).first()
    if flag is None:  # never computed yet: compute first, so the override has something to sit on
        flags_recompute(customer_id=customer_id)
        flag = Flag.objects.select_for_update().get(customer_id=customer_id, kind=kind)
    return flag


def _history(flag: Flag, *, before: str, level: str, reason: str, because: str, user, now) -> None:
    FlagChange.objects.create(
        customer_id=flag.customer_id,
        kind=flag.kind,
        level_before=before,
        level=level,
        reason=reason[:300],
        because=because,
        changed_at=now,
        changed_by=user,
    )


def _timeline(flag: Flag, *, summary: str, user) -> None:

    timeline_entry_record(
        customer_id=flag.customer_id,
        kind=TimelineEntry.Kind.FLAG,
        channel=Channel.SYSTEM,
        direction=TimelineEntry.Direction.INTERNAL,
        summary=summary,
        actor_user=user,
        actor_source="" if user else "klantbeeld",
    )
