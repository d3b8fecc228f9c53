from console.accounts.models import AuditEvent


def audit_event_record(*, actor, action: str, customer=None, detail: str = "", request=None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        customer=customer,
        detail=detail[:500],
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )
