import importlib

import pytest
from django.apps import apps
from django.core.cache import cache

from console.journeys.models import JourneyTemplate
from console.journeys.selectors import LISTENED_KEY, STARTABLE_KEY
from console.journeys.services import journey_start
from tests.factories import CustomerFactory, add_order
from tests.ingest.events import event

PORTING = "Number porting with several SIM cards"
WRONG_ITEM = "Wrong item delivered"
ORDER = "WS-2026-11851"
SIM = {"sku": "TC-SIM-NB", "quantity": 1, "unit_price": "10.00"}
WIFE = {**SIM, "line_number": 1, "description": "SIM-kaart (nummer echtgenote)"}
DAUGHTER = {**SIM, "line_number": 2, "description": "SIM-kaart (nummer dochter)"}


@pytest.fixture(autouse=True)
def outbox(settings, tmp_path):
    """SMS and social messages "go out" into a folder of the test's own."""
    settings.OUTBOX_DIR = str(tmp_path / "outbox")
    return tmp_path / "outbox"


@pytest.fixture(autouse=True)
def listened_forgotten():
    """What journeys listen to is cached across requests; a test that changed templates in a
    transaction rolled back must not leave its answer to the next test."""
    cache.delete_many([LISTENED_KEY, STARTABLE_KEY])
    yield
    cache.delete_many([LISTENED_KEY, STARTABLE_KEY])


@pytest.fixture
def shipped_journeys(db):
    """The journeys the product ships with: the data migration's rows (put back if a
    transactional test flushed them)."""
    if not JourneyTemplate.objects.filter(name__in=[PORTING, WRONG_ITEM]).count() == 2:
        shipped = importlib.import_module("console.journeys.migrations.0002_number_porting_and_wrong_item_journeys")
        shipped.journeys_add(apps, None)
    return {t.name: t for t in JourneyTemplate.objects.filter(name__in=[PORTING, WRONG_ITEM])}


@pytest.fixture
def porting(shipped_journeys):
    return shipped_journeys[PORTING]


@pytest.fixture
def wrong_item(shipped_journeys):
    return shipped_journeys[WRONG_ITEM]


def make_ahmed(*, customer_number="C-200005", language="nl", phone="06 34567890", order=ORDER):
    """Ahmed Yilmaz (story S5) with his order of two SIM cards, nothing delivered yet."""
    customer = CustomerFactory(
        name="Ahmed Yilmaz", customer_number=customer_number, phone=phone, language=language, email=""
    )
    add_order(customer, number=order, lines=[WIFE, DAUGHTER], total="20.00")
    return customer


@pytest.fixture
def ahmed(db):
    return make_ahmed()


@pytest.fixture
def porting_journey(ahmed, porting, make_user):
    agent = make_user("phone", username="daan")
    return journey_start(
        customer_id=ahmed.pk, template_id=porting.pk, order_number=ORDER, actor_user=agent, title="Nummerbehoud 2 SIM's"
    )


def sims(*lines, customer="C-200005", number=ORDER, status="partially_delivered", **envelope):
    """The courier's news: order.updated naming some of the order's lines with their status,
    e.g. ``sims((WIFE, "delivered"))``."""
    return event(
        "order.updated",
        {
            "order_number": number,
            "status": status,
            "total": "20.00",
            "currency": "EUR",
            "lines": [{**line, "status": line_status} for line, line_status in lines],
        },
        customer={"customer_number": customer},
        **envelope,
    )


def id_checked(result, *, customer="C-200005", **envelope):
    return event(
        "identity.checked",
        {
            "document_type": "Paspoort",
            "document_last4": "7730",
            "result": result,
            "expires_on": "2035-01-01",
            "checked_by": "Koerier",
        },
        customer={"customer_number": customer},
        **envelope,
    )


def posted(api, body):
    response = api.post(body)
    assert response.status_code == 201, response.json()
    return response
