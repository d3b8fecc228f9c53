import re
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, agent_channel, require
from console.accounts.services import audit_event_record
from console.cases import fragments
from console.cases.models import Case, ComplaintDeadline, Team
from console.reactions import CASE_CHANGED, happened
from console.timeline.models import Channel, TimelineEntry
from console.timeline.selectors import MONEY_KINDS
from console.timeline.services import timeline_entry_record


def complaint_deadline(*, channel: str, received_at: datetime) -> datetime:
    """When a complaint that came in on this channel must be answered (the admin's table)."""
    return received_at + timedelta(days=ComplaintDeadline.days_for(channel))


def case_locked(case_id: int) -> Case:
    """The case with its row locked until the transaction ends, so two agents changing it at
    once take turns and the second one checks against what the first one left."""
    return Case.objects.select_for_update(of=("self",)).select_related("customer", "owner").get(pk=case_id)


def case_event_record(
    *,
    case: Case,
    summary: str,
    audit: str,
    body: str = "",
    user=None,
    actor_source: str = "",
    channel: str = Channel.SYSTEM,
    kind: str = TimelineEntry.Kind.CASE,
    direction: str = TimelineEntry.Direction.INTERNAL,
    occurred_at: datetime | None = None,
) -> TimelineEntry:
    """What every change to a case leaves behind: an entry on the customer's timeline, linked
    to the case (so open case pages show it), and, when an agent made the change, a line in
    the audit log (``audit`` is its AuditEvent action)."""
    entry = timeline_entry_record(
        customer_id=case.customer_id,
        kind=kind,
        channel=channel,
        direction=direction,
        summary=summary,
        body=body,
        actor_user=user,
        actor_source=actor_source,
        case=case,
        occurred_at=occurred_at,
    )
    if user is not None:
        # References only: titles, next steps and notes are the customer's story, and the audit trail
        # outlives an erasure (docs/privacy.md). The timeline says what was written.
        audit_event_record(actor=user, action=audit, customer=case.customer, detail=case.reference)
    return entry


@transaction.atomic
def case_open(
    *,
    customer_id: int,
    title: str,
    kind: str = Case.Kind.QUESTION,
    team: str = "phone",
    owner=None,
    due_at: datetime | None = None,
    next_step: str = "",
    channel: str = "system",
    actor_user=None,
    actor_source: str = "",
    occurred_at: datetime | None = None,
    entry_id: int | None = None,
) -> Case:
    """Open a case; ``occurred_at`` is when it was opened, if not now (a source reporting late).

    A complaint without a due time gets the deadline for its channel. With ``entry_id`` the
    contact the case was opened from is linked to it.
    """
    if actor_user is not None:
        require(actor_user, Capability.RECORD_INTERACTIONS)
    _check_choices(kind=kind, team=team)
    if not title.strip():
        raise ValidationError("Give the case a title.")
    opened_at = occurred_at or timezone.now()
    if kind == Case.Kind.COMPLAINT and due_at is None:
        due_at = complaint_deadline(channel=channel, received_at=opened_at)
    case = Case.objects.create(
        customer_id=customer_id,
        title=title.strip(),
        kind=kind,
        team=team,
        owner=owner,
        due_at=due_at,
        next_step=next_step.strip(),
        channel=channel,
        created_at=opened_at,
    )
    if entry_id is not None:
        _link(case=case, entry=_entry_of_customer(entry_id, customer_id))
    case_event_record(
        case=case,
        summary=f"{case.get_kind_display()} opened: {case.title}",
        audit=AuditEvent.Action.OPENED_CASE,
        body=_opened_body(case),
        user=actor_user,
        actor_source=actor_source,
        channel=channel,
        occurred_at=case.created_at,
    )
    happened(CASE_CHANGED, teams=(case.team,))
    return case


def _opened_body(case: Case) -> str:
    parts = [f"{case.reference}, {case.get_team_display()} queue"]
    if case.owner is not None:
        parts.append(f"owner {_name(case.owner)}")
    if case.due_at is not None:
        parts.append(f"due {when_text(case.due_at)}")
    text = ", ".join(parts) + "."
    return f"{text} Next step: {case.next_step}" if case.next_step else text


def _check_choices(*, kind: str | None = None, team: str | None = None, status: str | None = None) -> None:
    if kind is not None and kind not in Case.Kind.values:
        raise ValidationError(f"'{kind}' is not a kind of case.")
    if team is not None and team not in Team.values:
        raise ValidationError(f"'{team}' is not a team.")
    if status is not None and status not in Case.Status.values:
        raise ValidationError(f"'{status}' is not a case status.")


def _name(user) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.get_username()


def when_text(moment: datetime | None) -> str:
    """A moment as agents read it: local time, day first."""
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M") if moment is not None else "none"


class _Keep:
    """Stands for "leave this as it is" in ``case_update``, where None means "clear it"."""

    def __repr__(self):
        return "KEEP"


KEEP = _Keep()


def case_update(
    *,
    case_id: int,
    user=None,
    actor_source: str = "",
    owner_id: int | None | _Keep = KEEP,
    team: str | _Keep = KEEP,
    status: str | _Keep = KEEP,
    due_at: datetime | None | _Keep = KEEP,
    next_step: str | _Keep = KEEP,
    resolution: str | _Keep = KEEP,
) -> Case:
    """Change who owns a case, its queue, status, due time, next step or resolution.

    Every change goes on the timeline in plain words; nothing is written when nothing
    changed. A resolution belongs to a resolved or closed case: reopening one clears it. A
    complaint is closed only through ``complaint_close`` (with the answer the customer
    received), never by setting its status here.
    """
    if user is not None:
        require(user, Capability.RECORD_INTERACTIONS)
    with transaction.atomic():
        case = case_locked(case_id)
        old_team = case.team
        changes = _apply_changes(case, owner_id=owner_id, team=team, status=status, due_at=due_at, next_step=next_step)
        changes += _resolution_change(case, resolution)
        if not changes:
            return case
        case.save()
        case_event_record(
            case=case,
            summary=f"Case {case.reference} updated: {'; '.join(changes)}",
            audit=AuditEvent.Action.UPDATED_CASE,
            body=f"Resolution: {case.resolution}" if resolution is not KEEP and case.resolution else "",
            user=user,
            actor_source=actor_source,
        )
        happened(CASE_CHANGED, teams=(old_team, case.team))
    return case


def _resolution_change(case: Case, resolution: str | _Keep) -> list[str]:
    """Set the resolution (after the status changed); the timeline entry's body carries its text."""
    if case.is_open:
        # (The form sends back the resolution it showed: reopening with it is not writing one.)
        if resolution is not KEEP and resolution.strip() not in ("", case.resolution):
            raise ValidationError(
                "A resolution is kept only on a resolved or closed case: set the status, or clear the resolution."
            )
        # Reopened: what was decided before no longer stands (the timeline keeps it).
        case.resolution = ""
        return []
    if resolution is KEEP or resolution.strip() == case.resolution:
        return []
    if case.kind == Case.Kind.COMPLAINT:
        raise ValidationError("A complaint's resolution is the answer the customer received; it cannot be changed.")
    case.resolution = resolution.strip()[:10_000]
    return ["resolution written down" if case.resolution else "resolution removed"]


def _apply_changes(case: Case, *, owner_id, team, status, due_at, next_step) -> list[str]:
    """Set what differs on ``case`` and describe each change the way an agent would say it."""
    changes = []
    if owner_id is not KEEP and owner_id != case.owner_id:
        owner = _assignable(owner_id) if owner_id is not None else None
        was = _name(case.owner)
        case.owner = owner
        changes.append(f"owner {_name(owner)} (was {was})" if owner else f"no owner any more (was {was})")
    if team is not KEEP and team != case.team:
        _check_choices(team=team)
        changes.append(f"moved to the {Team(team).label} queue (was {case.get_team_display()})")
        case.team = team
    if status is not KEEP and status != case.status:
        _check_choices(status=status)
        changes.append(_status_change(case, status))
    if due_at is not KEEP and due_at != case.due_at:
        changes.append(f"due {when_text(due_at)} (was {when_text(case.due_at)})" if due_at else "no due time any more")
        case.due_at = due_at
    if next_step is not KEEP and next_step.strip() != case.next_step:
        case.next_step = next_step.strip()[:300]
        changes.append(f"next step: {case.next_step}" if case.next_step else "no next step any more")
    return changes


def _status_change(case: Case, status: str) -> str:
    if case.kind == Case.Kind.COMPLAINT and status not in Case.OPEN_STATUSES:
        raise ValidationError("A complaint is closed with the answer the customer received: use “Close complaint”.")
    text = f"{Case.Status(status).label.lower()} (was {case.get_status_display().lower()})"
    case.status = status
    case.closed_at = None if status in Case.OPEN_STATUSES else timezone.now()
    return text


def _assignable(user_id: int):
    """An owner must be an active colleague who may work on customers."""
    owner = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if owner is None or not owner.has_perm(Capability.VIEW_CUSTOMERS):
        raise ValidationError("That colleague cannot own cases.")
    return owner


def _entry_of_customer(entry_id: int, customer_id: int) -> TimelineEntry:
    entry = TimelineEntry.objects.filter(pk=entry_id).first()
    if entry is None or entry.customer_id != customer_id:
        raise ValidationError("That contact is not on this customer's timeline.")
    return entry


def _link(*, case: Case, entry: TimelineEntry) -> None:
    # Only the link changes on an entry already written; the entry itself stays as recorded.
    TimelineEntry.objects.filter(pk=entry.pk).update(case=case)
    entry.case = case


def _described(entry: TimelineEntry) -> str:
    """The linked entry in a few words. Invoice and payment entries are not quoted: the link
    entry is shown to store staff, who do not see their amounts."""
    said = f"the {entry.get_channel_display()} contact of {when_text(entry.occurred_at)}"
    if entry.kind in MONEY_KINDS or entry.invoice_id:
        return f"{said} ({entry.get_kind_display().lower()})"
    return f"{said}, “{entry.summary}”"


def case_link_entry(*, case_id: int, entry_id: int, user) -> TimelineEntry:
    """Link a contact on any channel to a case (moving it from another case, if it had one)."""
    require(user, Capability.RECORD_INTERACTIONS)
    with transaction.atomic():
        case = case_locked(case_id)
        entry = _entry_of_customer(entry_id, case.customer_id)
        if entry.case_id == case.pk:
            return entry
        moved_from = Case.reference_for(entry.case_id) if entry.case_id else ""
        _link(case=case, entry=entry)
        case_event_record(
            case=case,
            summary=f"Linked to case {case.reference}: {_described(entry)}"
            + (f" (moved from {moved_from})" if moved_from else ""),
            audit=AuditEvent.Action.LINKED_TO_CASE,
            user=user,
            channel=entry.channel,
        )
        happened(CASE_CHANGED, teams=(case.team,))
    return entry


# @username, as Django usernames are spelled (letters, digits, . + - _), not ending in a full stop.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*[\w+-])")
MENTIONS_LIMIT = 10


def case_note_add(*, case_id: int, user, text: str) -> tuple[TimelineEntry, list]:
    """An internal note on a case; colleagues named with @username get a notice at once.

    Returns the note and the colleagues who were notified (active, allowed to see customers,
    not the writer).
    """
    require(user, Capability.RECORD_INTERACTIONS)
    text = text.strip()
    if not text:
        raise ValidationError("Write the note first.")
    with transaction.atomic():
        case = case_locked(case_id)
        note = case_event_record(
            case=case,
            summary=f"Note on case {case.reference}: {case.title}",
            audit=AuditEvent.Action.ADDED_CASE_NOTE,
            body=text[:10_000],
            user=user,
            channel=agent_channel(user),
            kind=TimelineEntry.Kind.NOTE,
        )
        mentioned = _mentioned(text, author=user)
        for colleague in mentioned:
            fragments.mention_notified(user_id=colleague.pk, case_id=case.pk, by=_name(user), excerpt=text[:200])
    return note, mentioned


def _mentioned(text: str, *, author) -> list:
    # The first ten names are enough for any real note, and keep the query small.
    names = list(dict.fromkeys(name.lower() for name in MENTION.findall(text)))[:MENTIONS_LIMIT]
    if not names:
        return []
    same_name = Q()
    for name in names:
        same_name |= Q(username__iexact=name)
    users = get_user_model().objects.filter(same_name, is_active=True).exclude(pk=author.pk).order_by("username")
    return [u for u in users if u.has_perm(Capability.VIEW_CUSTOMERS)]


@transaction.atomic
def case_data_quality_close(*, customer_id: int, resolution: str, channel: str, actor_user=None) -> list[Case]:
    """Close the customer's open data-quality tasks, saying what was done (story S2).

    Called by ``cases.data_quality.address_confirm`` / ``address_correct`` in the same
    transaction as the address change, so the back-office queue never shows a task whose
    address was already dealt with. The resolution is kept on the case (the case page shows
    it) and is the body of the closing entry, linked to the case.
    """
    tasks = list(
        Case.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(customer_id=customer_id, kind=Case.Kind.DATA_QUALITY, status__in=Case.OPEN_STATUSES)
    )
    for task in tasks:
        task.status = Case.Status.CLOSED
        task.closed_at = timezone.now()
        task.next_step = ""
        task.resolution = resolution[:10_000]
        task.save(update_fields=["status", "closed_at", "next_step", "resolution", "updated_at"])
        case_event_record(
            case=task,
            summary=f"{task.get_kind_display()} {task.reference} closed: {task.title}",
            audit=AuditEvent.Action.CLOSED_CASE,
            body=f"Resolution: {resolution}",
            user=actor_user,
            channel=channel,
        )
        happened(CASE_CHANGED, teams=(task.team,))
    return tasks
