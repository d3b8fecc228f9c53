from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from console.accounts.roles import Capability
from console.customers.models import Customer


def customer_for_user(user, customer_id: int, *, follow_merge: bool = False) -> Customer:
    """The customer, if this user may see customers at all; 403 otherwise, 404 if unknown.

    Every view and API call that concerns one customer goes through here, so the check lives
    in one place. With ``follow_merge`` a merged-away record answers for the record it was
    merged into, so a note typed on a page opened before a merge lands on the survivor.
    """
    if not user.is_authenticated or not user.has_perm(Capability.VIEW_CUSTOMERS):
        raise PermissionDenied("Your role does not allow viewing customers.")
    customer = get_object_or_404(Customer, pk=customer_id)
    return customer.survivor() if follow_merge else customer
