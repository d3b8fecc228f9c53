from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from console.accounts.roles import Capability, require
from console.commerce.models import OrderLine
from console.commerce.services import return_open
from console.customers.selectors import customer_for_user, customer_picture
from console.timeline.models import Channel
from console.timeline.selectors import timeline_for_user


@require_POST
def open_return(request, customer_id, line_id):
    """Second click of "return this line": the reason button posts here."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.RECORD_INTERACTIONS)
    error = ""
    try:
        return_open(
            user=request.user, customer_id=customer.pk, order_line_id=line_id, reason=request.POST.get("reason", "")
        )
    except OrderLine.DoesNotExist:
        error = "That order line does not exist (any more)."
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(customer)
    context = {
        "customer": customer,
        "picture": customer_picture(customer=customer, user=request.user),
        "timeline": timeline_for_user(user=request.user, customer_id=customer.pk),
        "channels": Channel.choices,
        "return_error": error,
        "oob": True,
    }
    return render(request, "customers/picture.html#return-response", context, status=422 if error else 200)
