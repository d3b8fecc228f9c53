"""The inbox pages: "Mine", each team's, "Unassigned", "Breaching soon", and the agents' actions
on a conversation (take, reply, hand back, close). Live: the lists and the counts in the
navigation fetch themselves again when told the inbox changed (fragments.py)."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from console.accounts.roles import Capability, require, team_roles
from console.accounts.selectors import display_name
from console.cases.models import Team
from console.conversations.rows import row_answer, rows_html, said_html
from console.conversations.selectors import (
    FLAG_FILTERS,
    VIEWS,
    InboxFilters,
    conversation_for_user,
    details_attach,
    inbox_counts,
    inbox_page,
)
from console.conversations.services import (
    Taken,
    conversation_done,
    conversation_hand_over,
    conversation_reply,
    conversation_take,
)
from console.timeline.models import Channel

INBOX = "conversations/inbox.html"


def _inbox_context(request, view: str, team: str = "") -> dict:
    page = inbox_page(user=request.user, view=view, team=team, filters=InboxFilters.from_query(request.GET))
    return {
        "inbox": page,
        "rows": rows_html(page.rows, viewer_id=request.user.pk, csrf_token=get_token(request), now=page.now),
        "views": VIEWS,
        "teams": Team.choices,
        "my_teams": team_roles(request.user),
        "channels": Channel.choices,
        "flag_filters": [(key, label) for key, (label, _kind, _levels) in FLAG_FILTERS.items()],
    }


@require_GET
def home(request):
    """The inbox is an agent's home page: their own conversations."""
    require(request.user, Capability.VIEW_CUSTOMERS)
    return redirect("conversations:inbox", view="mine")


@require_GET
def inbox(request, view: str, team: str = ""):
    require(request.user, Capability.VIEW_CUSTOMERS)
    if view not in VIEWS or (view == "team") != bool(team) or (team and team not in Team.values):
        raise Http404("No such inbox.")
    context = _inbox_context(request, view, team)
    return render(request, f"{INBOX}#inbox-list" if request.htmx else INBOX, context)


@require_GET
def counts(request):
    """The counts in the navigation (fetched by every page, again when the inbox changes)."""
    if not request.user.has_perm(Capability.VIEW_CUSTOMERS):
        raise PermissionDenied
    counts = inbox_counts(user=request.user)
    return render(request, f"{INBOX}#nav-counts", {"counts": {**counts, "teams_json": json.dumps(counts["teams"])}})


def _row(request, conversation, *, notice: str = "", error: str = "", status: int = 200):
    if not request.htmx:
        back = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(back if back and safe else "conversations:home")
    details_attach([conversation], viewer_id=request.user.pk)
    html = row_answer(
        conversation,
        viewer_id=request.user.pk,
        csrf_token=get_token(request),
        now=timezone.now(),
        said=said_html(notice=notice, error=error),
    )
    return HttpResponse(html, status=status)


@require_POST
def take(request, conversation_id: int):
    conversation = conversation_for_user(request.user, conversation_id)
    try:
        conversation = conversation_take(conversation_id=conversation.pk, user=request.user)
    except Taken as taken:
        return _row(request, taken.conversation, error=f"Taken by {display_name(taken.conversation.assignee)}.")
    except ValidationError as exc:
        return _row(request, conversation, error=" ".join(exc.messages), status=422)
    return _row(request, conversation, notice="Yours now.")


@require_POST
def hand_back(request, conversation_id: int):
    conversation = conversation_for_user(request.user, conversation_id)
    owner = conversation.assignee
    if owner is not None and owner.pk != request.user.pk and not request.user.has_perm(Capability.MANAGE_FLAGS):
        # Only its owner gives a conversation back (or a manager, who shares out the work).
        return _row(
            request, conversation, error=f"Only {display_name(owner)} or a manager can give it back.", status=403
        )
    conversation = conversation_hand_over(conversation_id=conversation.pk, user=request.user)
    return _row(request, conversation, notice=f"Back with the {conversation.get_team_display()} team.")


@require_POST
def done(request, conversation_id: int):
    conversation = conversation_for_user(request.user, conversation_id)
    try:
        conversation = conversation_done(
            conversation_id=conversation.pk, user=request.user, reason=request.POST.get("reason", "")[:200]
        )
    except ValidationError as exc:
        return _row(request, conversation, error=" ".join(exc.messages), status=422)
    return _row(request, conversation, notice="Done.")


@require_POST
def reply(request, conversation_id: int):
    conversation = conversation_for_user(request.user, conversation_id)
    try:
        conversation, _message = conversation_reply(
            conversation_id=conversation.pk, user=request.user, text=request.POST.get("text", "")[:2000]
        )
    except ValidationError as exc:
        return _row(request, conversation, error=" ".join(exc.messages), status=422)
    return _row(request, conversation, notice="Reply sent; waiting on the customer.")
