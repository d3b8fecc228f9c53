from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from console.customers.selectors import hidden_customers
from console.flags.models import CreditApproval, Flag, FlagChange, FlagPolicy
from console.ui.money import euro


class Decision:
    ALLOWED = "allowed"
    NEEDS_APPROVAL = "needs_approval"
    REFUSED = "refused"

    LABELS = {ALLOWED: "Allowed", NEEDS_APPROVAL: "Needs a manager's approval", REFUSED: "Refused"}


@dataclass(frozen=True)
class CreditCheck:
    """What the credit check says about one order, with the reasons in words an agent can repeat."""

    decision: str
    reasons: list[str]
    credit_level: str
    overridden: bool = False
    limits: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return Decision.LABELS[self.decision]

    @property
    def manager_may_approve(self) -> bool:
        return self.decision != Decision.ALLOWED


def credit_check(*, customer, amount: Decimal, finance: bool = True, policy: FlagPolicy | None = None) -> CreditCheck:
    """Allowed, needs approval or refused, from the credit flag as it counts now and the order amount.

    The flag's effective level counts, so a manager's override (say back to OK while a payment
    plan runs) changes the answer until it lapses. Limits come from the admin-edited
    ``FlagPolicy``: on OK an order up to ``check_ok_limit`` is allowed, on watch up to
    ``check_watch_limit``, on hold nothing without a manager. ``finance=False`` (store staff)
    leaves the invoice amounts behind the level out of the reasons.
    """
    policy = policy or FlagPolicy.current()
    flag = Flag.objects.filter(customer=customer, kind=Flag.Kind.CREDIT).select_related("override_by").first()
    level = flag.effective_level if flag else Flag.Level.OK
    reasons = [_standing(flag, finance=finance)]
    if flag is not None and flag.overridden:
        reasons.append(_override(flag))
    if level == Flag.Level.HOLD:
        decision = Decision.REFUSED
        reasons.append("Orders are refused while credit is on hold, unless a manager approves this one.")
    elif level == Flag.Level.WATCH and amount > policy.check_watch_limit:
        decision = Decision.NEEDS_APPROVAL
        reasons.append(
            f"{euro(amount)} is more than the {euro(policy.check_watch_limit)} an order may reach "
            "without approval while credit is on watch."
        )
    elif level == Flag.Level.OK and amount > policy.check_ok_limit:
        decision = Decision.NEEDS_APPROVAL
        reasons.append(
            f"{euro(amount)} is more than the {euro(policy.check_ok_limit)} any order may reach without approval."
        )
    else:
        decision = Decision.ALLOWED
        limit = policy.check_watch_limit if level == Flag.Level.WATCH else policy.check_ok_limit
        reasons.append(f"{euro(amount)} is within the {euro(limit)} allowed without approval.")
    return CreditCheck(
        decision=decision,
        reasons=reasons,
        credit_level=level,
        overridden=bool(flag and flag.overridden),
        limits={"ok": policy.check_ok_limit, "watch": policy.check_watch_limit},
    )


STANDING = {Flag.Level.OK: "Credit is OK", Flag.Level.WATCH: "Credit is on watch", Flag.Level.HOLD: "Credit is on hold"}


def _standing(flag: Flag | None, *, finance: bool) -> str:
    if flag is None:
        return "Credit is OK: no invoices on record yet."
    return f"{STANDING.get(flag.level, 'Credit')}: {flag.reason_for(finance=finance).rstrip('.')}."


def _override(flag: Flag) -> str:
    """Who set the level that counts now, until when and why."""
    by = (flag.override_by.get_full_name() or flag.override_by.get_username()) if flag.override_by else "A manager"
    level = "OK" if flag.override_level == Flag.Level.OK else Flag.Level(flag.override_level).label.lower()
    why = f": {flag.override_reason.rstrip('.')}" if flag.override_reason else ""
    return f"{by} set credit to {level} until {flag.override_until:%d-%m-%Y}{why}."


def approvals_pending(*, user) -> list[CreditApproval]:
    """Requests waiting for a manager, the longest waiting first (not those about a customer
    restricted to a group the manager is no member of)."""
    return list(
        CreditApproval.objects.filter(status=CreditApproval.Status.PENDING)
        .exclude(customer_id__in=hidden_customers(user))
        .select_related("customer", "requested_by_user")
        .order_by("requested_at", "id")
    )


@dataclass(frozen=True)
class ApprovalNotices:
    shown: list[CreditApproval]
    # Waiting but not shown one by one ("and 4 more").
    more: int


def approval_notices(*, limit: int = 1) -> ApprovalNotices:
    """The notice every manager sees on any page: the newest request waiting, and how many more.

    One line, so a busy afternoon does not push the customer picture off the screen. Pushed to
    every manager alike, so it leaves out requests about restricted customers (the members find
    them on the approvals page)."""
    waiting = CreditApproval.objects.filter(status=CreditApproval.Status.PENDING).exclude(
        customer_id__in=hidden_customers()
    )
    shown = list(waiting.select_related("customer").order_by("-requested_at", "-id")[:limit])
    more = waiting.count() - len(shown) if len(shown) == limit else 0
    return ApprovalNotices(shown=shown, more=more)


def approvals_recently_decided(*, user, limit: int = 20) -> list[CreditApproval]:
    return list(
        CreditApproval.objects.exclude(status=CreditApproval.Status.PENDING)
        .exclude(customer_id__in=hidden_customers(user))
        .select_related("customer", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def approval_for_source(*, approval_id: int, source: str) -> CreditApproval | None:
    """An approval as the source system that asked for it may read it; others see nothing."""
    return (
        CreditApproval.objects.filter(Q(pk=approval_id) & Q(requested_by_source=source) & ~Q(requested_by_source=""))
        .select_related("customer")
        .first()
    )


@dataclass
class FlagWithHistory:
    flag: Flag
    reason: str
    history: list
    history_more: bool

    def as_context(self) -> dict:
        return {"flag": self.flag, "reason": self.reason, "history": self.history, "history_more": self.history_more}


def flag_with_history(*, customer, kind: str, finance: bool, limit: int = 50) -> FlagWithHistory:
    """One flag of a customer with its latest changes; reasons without amounts for ``finance=False``.

    The flags must exist (``flags_ensure``); an unknown kind is a 404."""
    if kind not in Flag.Kind.values:
        raise Http404("No such flag.")
    found = Flag.objects.select_related("override_by").get(customer=customer, kind=kind)
    history = list(
        FlagChange.objects.filter(customer=customer, kind=kind)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")[: limit + 1]
    )
    for change in history:
        change.shown_reason = change.reason_for(finance=finance)
    return FlagWithHistory(
        flag=found, reason=found.reason_for(finance=finance), history=history[:limit], history_more=len(history) > limit
    )
