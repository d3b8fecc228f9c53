"""Flag recomputation travels through the real broker to a real worker in the full stack."""

import time

import pytest

from console.flags.models import Flag
from tests.ingest.events import invoice

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_invoice_event_recomputes_the_credit_flag_through_a_worker(worker, client, customer, issue_token):
    token = issue_token(source="finance", scopes=["events:write"])
    import json

    response = client.post(
        "/api/v1/events",
        data=json.dumps(invoice(amount="740.00")),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        flag = Flag.objects.filter(customer=customer, kind="credit").first()
        if flag and flag.level == "hold":
            break
        time.sleep(0.1)
    assert flag is not None and flag.level == "hold", "the worker did not recompute the credit flag"
