from console.accounts.roles import Capability, role_names


def roles(request):
    """The user's roles for the page's header. A page the API serves to a token or to nobody
    (its documentation) has no user at all (DRF: UNAUTHENTICATED_USER None), not an anonymous one."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "user_roles": role_names(user) if signed_in else [],
        "can_record": signed_in and user.has_perm(Capability.RECORD_INTERACTIONS),
    }
