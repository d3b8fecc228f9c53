"""Small presentation helpers shared by the console's templates."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from console.ui.money import euro

register = template.Library()

# Which icon of static/console/icons.svg stands for which channel.
CHANNEL_ICONS = {
    "twitter": "at",
    "facebook": "at",
    "instagram": "at",
    "whatsapp": "chat",
    "email": "mail",
    "chat": "chat",
    "chatbot": "bot",
    "sms": "sms",
    "phone": "phone",
    "store": "store",
    "post": "post",
    "web": "web",
    "system": "system",
}


register.filter("euro", euro)


@register.filter
def at_most(count: int, cap: int) -> str:
    """A count as a badge shows it: "99+" beyond the cap it was counted to."""
    return f"{cap}+" if count > cap else str(count)


@register.simple_tag
def icon(name: str, label: str = ""):
    """An icon from the sprite; decorative unless a label is given."""
    href = f"{static('console/icons.svg')}#{name}"
    if label:
        return format_html(
            '<svg class="icon icon-{}" role="img" aria-label="{}"><use href="{}"></use></svg>', name, label, href
        )
    return format_html('<svg class="icon icon-{}" aria-hidden="true"><use href="{}"></use></svg>', name, href)


@register.simple_tag
def channel_icon(channel: str, label: str = ""):
    return icon(CHANNEL_ICONS.get(channel, "system"), label)


@register.simple_tag(takes_context=True)
def csrf_field(context):
    """The form's CSRF field when the page is rendered for one user's request, and nothing in a
    live push (rendered once for many users, without a request): forms that arrive by a push
    send the page's own token, from hx-headers on <body>. Django's {% csrf_token %} warns there."""
    value = context.get("csrf_token")
    # "NOTPROVIDED": what Django's context processor gives when the request has no token.
    if not value or value == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', value)
