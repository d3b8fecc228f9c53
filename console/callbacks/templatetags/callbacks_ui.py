from django import template

from console.callbacks.selectors import next_callback_of
from console.callbacks.views import panel_context, promise_context

register = template.Library()


@register.inclusion_tag("callbacks/promise.html#promise-menu", takes_context=True)
def callback_promise_menu(context, customer, identifiers):
    """ "Callback…" on the customer's picture, from the identifiers the picture already has.
    Also rendered for live pushes, where there is no user (the audience decides whether the box
    "Text the customer…" is offered); htmx carries the CSRF token."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # A live push renders the picture per audience: the finance one is the roles that send
    # messages (as for the messages panel), so store staff are not offered the box.
    picture = context.get("picture")
    audience_texts = bool(getattr(picture, "show_invoice_list", False))
    context_for_form = promise_context(
        customer=customer, identifiers=identifiers, user=user, audience_texts=audience_texts
    )
    return {**context_for_form, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("callbacks/case_panel.html#callback-panel", takes_context=True)
def callback_panel(context, case):
    """The callbacks on a case page, with the forms to promise, move and make one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return panel_context(case=case, user=user, csrf_token=context.get("csrf_token"))


@register.filter
def next_callback(case):
    """The case's soonest promised callback as the team queue read it (see team_queue)."""
    return next_callback_of(case)
