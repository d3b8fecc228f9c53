from console.accounts.models import AuditEvent


def audit_event_record(
    *, actor, action: str, customer=None, detail: str = "", request=None, token: str = ""
) -> AuditEvent:
    """Add one row to the audit trail (one INSERT; rows are never changed afterwards).

    ``token`` names the API token of a read by a source system ("webshop kb_AbCdEfG"); its
    ``actor`` is then None."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        customer=customer,
        detail=detail[:500],
        token=token[:60],
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )
