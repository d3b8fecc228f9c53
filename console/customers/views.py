from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, agent_channel
from console.accounts.services import audit_event_record
from console.customers.selectors import customer_for_user, customer_picture, customer_search
from console.timeline.forms import InteractionForm
from console.timeline.models import Channel
from console.timeline.selectors import channel_filter, timeline_for_user


@require_GET
def search(request):
    if not request.user.has_perm(Capability.VIEW_CUSTOMERS):
        raise PermissionDenied("Your role does not allow viewing customers.")
    query = request.GET.get("q", "")[:200]
    context = {"query": query, "results": customer_search(query=query) if query else []}
    template = "customers/search.html#results" if request.htmx else "customers/search.html"
    return render(request, template, context)


def picture_context(request, customer, *, form=None) -> dict:
    """What the customer picture template needs; shared by every view that renders it."""
    channel = channel_filter(request.GET.get("channel"))
    return {
        "customer": customer,
        "picture": customer_picture(customer=customer, user=request.user),
        "timeline": timeline_for_user(user=request.user, customer_id=customer.pk, channel=channel),
        "channels": Channel.choices,
        "form": form or InteractionForm(initial={"channel": agent_channel(request.user)}),
    }


@require_GET
def picture(request, customer_id):
    customer = customer_for_user(request.user, customer_id)
    audit_event_record(actor=request.user, action=AuditEvent.Action.VIEWED_CUSTOMER, customer=customer,
                       request=request)
    return render(request, "customers/picture.html", picture_context(request, customer))
