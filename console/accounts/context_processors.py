from console.accounts.roles import Capability, role_names


def roles(request):
    user = request.user
    return {
        "user_roles": role_names(user),
        "can_record": user.is_authenticated and user.has_perm(Capability.RECORD_INTERACTIONS),
    }
