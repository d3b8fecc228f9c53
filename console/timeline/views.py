from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from console.accounts.roles import Capability, require
from console.customers.selectors import customer_for_user
from console.customers.views import picture_context
from console.timeline.forms import InteractionForm
from console.timeline.models import Channel
from console.timeline.selectors import channel_filter, timeline_for_user
from console.timeline.services import interaction_record


def _before_from(request) -> int | None:
    try:
        return int(request.GET["before"])
    except (KeyError, ValueError):
        return None


@require_GET
def timeline(request, customer_id):
    """The timeline panel (a channel filter) or, with ``before``, the next older entries."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    before = _before_from(request)
    page = timeline_for_user(
        user=request.user,
        customer_id=customer.pk,
        channel=channel_filter(request.GET.get("channel")),
        before_seq=before,
    )
    partial = "timeline-entries" if before is not None else "timeline"
    context = {"timeline": page, "customer": customer, "channels": Channel.choices}
    return render(request, f"customers/picture.html#{partial}", context)


@require_POST
def record(request, customer_id):
    """An agent records a note, call summary or store visit; the timeline shows it on top."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.RECORD_INTERACTIONS)
    form = InteractionForm(request.POST)
    if form.is_valid():
        interaction_record(user=request.user, customer_id=customer.pk, **form.cleaned_data)
        if not request.htmx:
            return redirect(customer)
        context = {
            "customer": customer,
            "form": InteractionForm(initial={"channel": form.cleaned_data["channel"]}),
            "timeline": timeline_for_user(user=request.user, customer_id=customer.pk),
            "channels": Channel.choices,
            "oob": True,
        }
        return render(request, "customers/picture.html#record-response", context)
    # Invalid: show the form again with what was typed, nothing lost.
    if request.htmx:
        return render(request, "customers/picture.html#record-form", {"customer": customer, "form": form}, status=422)
    return render(request, "customers/picture.html", picture_context(request, customer, form=form), status=422)
