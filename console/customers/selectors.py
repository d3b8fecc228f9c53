"""Who may see which customer: the one rule, for every page, list, push, socket and API call.

A restricted customer (``Customer.restricted_to``: an employee, a protected person, a VIP) exists
only for the members of that group. For everyone else it does not exist: 404, never 403, and it is
left out of every list and count. Being a member is being in that Django group; a role does not
help (managers and admins who are not members do not see the customer), and neither does being a
superuser: the console treats superusers like any other user (docs/privacy.md).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from console.accounts.roles import Capability
from console.customers.models import Customer


def hidden_customers(user=None) -> QuerySet:
    """The ids of the restricted customers ``user`` is no member for, as a subquery: lists leave
    them out with ``.exclude(customer_id__in=hidden_customers(user))`` in the same statement, so
    no list costs a query more. Without a user: every restricted customer (an API token without
    the scope ``customers:restricted``, and what is pushed to a whole team)."""
    restricted = Customer.objects.filter(restricted_to__isnull=False)
    if user is not None and user.is_authenticated:
        restricted = restricted.exclude(restricted_to__in=Group.objects.filter(user=user).values("pk"))
    return restricted.order_by().values("pk")


def visible_customers(user=None) -> QuerySet:
    """The customers ``user`` may see (without a user: the unrestricted ones)."""
    return Customer.objects.exclude(pk__in=hidden_customers(user))


def may_see(user, customer: Customer) -> bool:
    """Whether ``user`` (None: a reader without the scope for restricted customers) may see this
    customer; asks the database only for a restricted one."""
    if customer.restricted_to_id is None:
        return True
    if user is None or not user.is_authenticated:
        return False
    return user.groups.filter(pk=customer.restricted_to_id).exists()


def restricted_members(customer_id: int) -> list[int] | None:
    """The active users who may see this customer, when it is restricted; None when it is not
    (everyone may). One query."""
    rows = list(
        Customer.objects.filter(pk=customer_id).values_list(
            "restricted_to_id", "restricted_to__user", "restricted_to__user__is_active"
        )
    )
    if not rows or rows[0][0] is None:
        return None
    return sorted({user for _group, user, active in rows if user is not None and active})


def users_who_may_not_see(customer_id: int) -> list[int]:
    """The active users outside the group of a restricted customer (none for an unrestricted one)."""
    members = restricted_members(customer_id)
    if members is None:
        return []
    return list(get_user_model().objects.filter(is_active=True).exclude(pk__in=members).values_list("pk", flat=True))


def users_who_may_see(customer_id: int) -> Q:
    """A filter on users: those who may see this customer (everyone, for an unrestricted one).
    Subqueries only, so it adds no query and no duplicate rows to the one it filters."""
    return Q(Exists(Customer.objects.filter(pk=customer_id, restricted_to__isnull=True))) | Q(
        pk__in=Group.user_set.through.objects.filter(
            group_id__in=Customer.objects.filter(pk=customer_id).values("restricted_to")
        ).values("user_id")
    )


def customer_visible_or_404(user, customer: Customer) -> Customer:
    if not may_see(user, customer):
        raise Http404("No customer with that number.")
    return customer


def customer_for_user(user, customer_id: int, *, follow_merge: bool = False) -> Customer:
    """The customer, if this user may see customers at all; 403 otherwise, 404 if unknown or
    restricted to a group the user is no member of.

    Every view and API call that concerns one customer goes through here, so the check lives
    in one place. With ``follow_merge`` a merged-away record answers for the record it was
    merged into, so a note typed on a page opened before a merge lands on the survivor.
    """
    if not user.is_authenticated or not user.has_perm(Capability.VIEW_CUSTOMERS):
        raise PermissionDenied("Your role does not allow viewing customers.")
    customer = customer_visible_or_404(user, get_object_or_404(Customer, pk=customer_id))
    survivor = customer.survivor() if follow_merge else customer
    return survivor if survivor is customer else customer_visible_or_404(user, survivor)
