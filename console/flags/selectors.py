from decimal import Decimal

from console.commerce.money import euro
from console.flags.models import Flag


def credit_check(*, customer, amount: Decimal, watch_limit: Decimal, ok_limit: Decimal) -> dict:
    """Allowed, needs approval or refused, from the credit flag as it stands and the order amount.

    OK: allowed up to ``ok_limit``, above it a manager approves. Watch: allowed up to
    ``watch_limit``. Hold: refused (a manager may approve an exception in the console).
    """
    flag = Flag.objects.filter(customer=customer, kind=Flag.Kind.CREDIT).first()
    level = flag.level if flag else "ok"
    reasons = [f"Credit {level}: {flag.reason}" if flag else "No credit history yet"]
    if level == "hold":
        decision = "refused"
        reasons.append("Orders are refused while credit is on hold, unless a manager approves.")
    elif level == "watch" and amount > watch_limit:
        decision = "needs_approval"
        reasons.append(f"{euro(amount)} is above the {euro(watch_limit)} allowed while credit is on watch.")
    elif level == "ok" and amount > ok_limit:
        decision = "needs_approval"
        reasons.append(f"{euro(amount)} is above the {euro(ok_limit)} any order may reach without approval.")
    else:
        decision = "allowed"
    return {"decision": decision, "reasons": reasons, "credit_level": level}
