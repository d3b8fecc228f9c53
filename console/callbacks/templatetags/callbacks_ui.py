from django import template

from console.callbacks.selectors import next_callback_of
from console.callbacks.views import promise_context

register = template.Library()


@register.inclusion_tag("callbacks/promise.html#promise-menu", takes_context=True)
def callback_promise_menu(context, customer, identifiers, can_text):
    """ "Callback…" on the customer's picture, from the identifiers the picture already has;
    ``can_text`` (the picture's ``may_send``: the user's role, or in a live push the audience's)
    decides whether the box "Text the customer…" is offered. In a push htmx carries the CSRF
    token."""
    context_for_form = promise_context(customer=customer, identifiers=identifiers, can_text=can_text)
    return {**context_for_form, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("callbacks/case_panel.html#callback-panel", takes_context=True)
def callback_panel(context, panel):
    """The callbacks on a case page, with the forms to promise, move and make one: ``panel`` is
    what the case page's view read (``case_page_callbacks``); the page's CSRF token goes along."""
    return {**panel, "csrf_token": context.get("csrf_token")}


@register.filter
def next_callback(case):
    """The case's soonest promised callback as the team queue read it (see team_queue)."""
    return next_callback_of(case)
