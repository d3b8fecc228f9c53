"""The manager dashboard: who reaches it, what each section lists, and what it costs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from console.cases.services import case_open
from console.dashboard import selectors
from console.flags.services import flag_override_set
from tests.dashboard.conftest import section
from tests.factories import CustomerFactory, add_invoice

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
SECTIONS = "/dashboard/sections/"


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


@pytest.mark.parametrize("role", ["webcare", "phone", "store"])
@pytest.mark.parametrize("url", [URL, SECTIONS])
def test_agents_get_403(client_as, role, url):
    assert client_as(role).get(url).status_code == 403


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_reach_it(client_as, role):
    response = client_as(role).get(URL)
    assert response.status_code == 200
    assert "Manager dashboard" in response.content.decode()


@pytest.mark.parametrize(("role", "shown"), [("manager", True), ("admin", True), ("phone", False), ("store", False)])
def test_the_header_links_to_it_for_managers_only(client_as, role, shown):
    html = client_as(role).get("/customers/").content.decode()
    assert ('href="/dashboard/"' in html) is shown


def test_credit_lists_show_hold_and_watch_with_amounts_and_age(client_as, everything):
    html = client_as("manager").get(URL).content.decode()
    hold = section(html, "dash-hold", end="</div>")
    assert "Jeroen de Vries" in hold and "C-200001" in hold
    assert "EUR 1,240.00" in hold  # overdue
    assert "EUR 1,300.00" in hold  # open, including the invoice not yet due
    assert "47 days" in hold
    assert f'href="/customers/{everything.hold.pk}/"' in hold
    watch = section(html, "dash-watch", end="</div>")
    assert "Wim Wachters" in watch and "EUR 80.00" in watch and "5 days" in watch
    assert "Jeroen de Vries" not in watch and "Wim Wachters" not in hold
    tiles = section(html, "dash-tiles", end="</nav>")
    assert "<b>1</b> on credit hold" in tiles and "<b>1</b> on watch" in tiles


def test_the_worst_hold_comes_first(client_as):
    smaller = CustomerFactory(name="Klein Achterstand")
    add_invoice(smaller, number="INV-S", amount="600.00", days_overdue=40)
    bigger = CustomerFactory(name="Groot Achterstand")
    add_invoice(bigger, number="INV-B", amount="2500.00", days_overdue=35)
    hold = section(client_as("manager").get(URL).content.decode(), "dash-hold", end="</div>")
    assert hold.index("Groot Achterstand") < hold.index("Klein Achterstand")


def test_an_override_moves_a_customer_between_the_lists(client_as, make_user):
    customer = CustomerFactory(name="Olga Override")
    add_invoice(customer, number="INV-O", amount="80.00", days_overdue=3)
    manager = make_user("manager", first_name="Mila", last_name="de Manager")
    flag_override_set(
        customer_id=customer.pk,
        kind="credit",
        level="hold",
        reason="Promised to pay twice, did not",
        until=timezone.now() + timedelta(days=7),
        user=manager,
    )
    html = client_as("manager").get(URL).content.decode()
    assert "Olga Override" in section(html, "dash-hold", end="</div>")
    assert "Set by Mila de Manager" in section(html, "dash-hold", end="</div>")
    assert "Olga Override" not in section(html, "dash-watch", end="</div>")


def test_loyal_customers_at_risk_are_gold_with_an_open_complaint_or_return(client_as, everything):
    loyal = section(client_as("manager").get(URL).content.decode(), "dash-loyal")
    assert "Marieke Bakker" in loyal and "Complaint: Klacht over de bezorging" in loyal
    assert "Gerrit Goud" in loyal and "Return R-" in loyal and "(requested)" in loyal
    assert "Sietske Zilver" not in loyal  # a complaint, but not gold


def test_returned_mail_and_bounced_email_show_oldest_first_with_age(client_as, everything):
    html = client_as("manager").get(URL).content.decode()
    mail = section(html, "dash-returned-mail")
    assert "Sanne Jansen" in mail and "Dorpsstraat 1, 1234 AB Ergens" in mail
    assert "Letter INV-2026-881 returned: addressee unknown" in mail and "12 days" in mail
    bounced = section(html, "dash-bounced")
    assert "Bram Bounce" in bounced and "bram@example.nl" in bounced and "3 days" in bounced


def test_expired_ids_are_listed_only_with_a_delivery_pending(client_as, everything):
    ids = section(client_as("manager").get(URL).content.decode(), "dash-ids")
    assert "Henk Verlopen" in ids and "WS-2026-11851" in ids and "1 item to deliver" in ids
    assert "Dirk Afgeleverd" not in ids  # everything delivered: the courier asks no more


def test_pending_approvals_show_oldest_first(client_as, everything):
    approvals = section(client_as("manager").get(URL).content.decode(), "dash-approvals")
    assert "Jeroen de Vries" in approvals and "EUR 900.00" in approvals and "webshop" in approvals
    assert f'href="/flags/approvals/#approval-{everything.approval.pk}"' in approvals


def test_the_charts_count_contacts_flags_and_case_ages(client_as, everything):
    html = client_as("manager").get(URL).content.decode()
    interactions = section(html, "dash-interactions")
    # Three chats and a call; the orders, invoices and flags are the systems talking.
    assert "4 in 14 days" in interactions
    assert '<th scope="col" class="num">Chat</th>' in interactions
    assert '<th scope="col" class="num">Phone</th>' in interactions
    trend = section(html, "dash-flag-trend")
    assert "Hold: 1" in trend and "Watch: 1" in trend
    assert "Address undeliverable: 1" in trend and "Expired: 2" in trend
    ages = section(html, "dash-case-ages")
    assert "&lt; 1 day: 2" in ages  # the two complaints opened today
    assert "7–14 days: 2" in ages  # the returned-mail task and the old question


def test_text_from_customers_is_escaped(client_as, everything):
    case_open(customer_id=everything.gold_complaint.pk, title="<script>alert(1)</script>", kind="complaint")
    html = client_as("manager").get(URL).content.decode()
    assert "<script>alert(1)" not in html


def test_the_sections_fragment_swaps_every_section_by_id(client_as, everything):
    response = client_as("manager").get(SECTIONS, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    for element_id in (
        "dash-updated",
        "dash-tiles",
        "dash-credit",
        "dash-approvals",
        "dash-loyal",
        "dash-ids",
        "dash-returned-mail",
        "dash-bounced",
        "dash-interactions",
        "dash-flag-trend",
        "dash-case-ages",
    ):
        assert f'id="{element_id}"' in html
    assert html.count('hx-swap-oob="true"') == 11
    assert "Jeroen de Vries" in section(html, "dash-hold", end="</div>")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_a_fixed_number_of_queries(client_as, everything, django_assert_max_num_queries):
    client = client_as("manager")
    # Session, user, permissions and roles (5), then one query per list and chart (10).
    with django_assert_max_num_queries(16):
        client.get(URL)
    before = _queries(client, URL), _queries(client, SECTIONS)
    for n in range(3):  # more of everything: the count stays the same
        customer = CustomerFactory(name=f"Nog een {n}")
        add_invoice(customer, number=f"INV-X{n}", amount="900.00", days_overdue=40 + n)
        case_open(customer_id=customer.pk, title="Nog een vraag")
    assert (_queries(client, URL), _queries(client, SECTIONS)) == before


def test_a_long_list_says_how_many_more_there_are():
    for n in range(3):
        customer = CustomerFactory(name=f"Achterstand {n}")
        add_invoice(customer, number=f"INV-L{n}", amount=str(Decimal(600 + n)), days_overdue=40)
    listing = selectors.credit_list(level="hold", today=timezone.localdate(), now=timezone.now(), limit=2)
    assert [row.customer.name for row in listing.rows] == ["Achterstand 2", "Achterstand 1"]
    assert (listing.total, listing.more) == (3, 1)
