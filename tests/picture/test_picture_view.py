import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.timeline.services import timeline_entry_record
from tests.conftest import ROLES
from tests.factories import CustomerFactory, add_entries, add_invoice, add_order

pytestmark = pytest.mark.django_db


def url(customer, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("customers:picture", args=[customer.pk]) + (f"?{query}" if query else "")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_customer_picture(client_as, customer, role):
    add_invoice(customer, number="INV-1", amount="740.00", days_overdue=47)
    response = client_as(role).get(customer.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jeroen de Vries" in page and "C-200001" in page
    assert "06 12345678" in page and "j.devries@example.nl" in page
    # Store staff see the credit level and why, but not the amounts behind it (issue 6).
    if role == "store":
        assert "1 invoice overdue, oldest 47 days" in page and "EUR 740 open" not in page
    else:
        assert "1 invoice overdue, EUR 740 open, oldest 47 days" in page


def test_it_requires_a_login(client, customer):
    response = client.get(customer.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_gets_403_not_a_page(client_as, customer):
    response = client_as(None).get(customer.get_absolute_url())
    assert response.status_code == 403
    assert b"Jeroen" not in response.content


def test_an_unknown_customer_is_404(client_as):
    assert client_as("phone").get("/customers/999999/").status_code == 404


def test_store_staff_see_the_open_balance_but_not_the_invoice_list(client_as, customer):
    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=47)
    add_invoice(customer, number="INV-2026-882", amount="500.00", days_overdue=20)
    store_page = client_as("store").get(customer.get_absolute_url()).content.decode()
    assert "Open balance <b>EUR 1,240.00</b>" in store_page
    assert "INV-2026-881" not in store_page
    phone_page = client_as("phone").get(customer.get_absolute_url()).content.decode()
    assert "Open balance <b>EUR 1,240.00</b>" in phone_page
    assert "INV-2026-881" in phone_page and "INV-2026-882" in phone_page


def test_the_page_shows_orders_with_line_delivery_status(client_as, customer):
    add_order(
        customer,
        number="WS-77",
        lines=[
            {"sku": "VH-01", "description": "Vogelhuisje Eiken", "unit_price": "39.95", "status": "wrong_item"},
            {"sku": "ZD-02", "description": "Zaaddoos", "unit_price": "9.95", "status": "delivered"},
        ],
    )
    page = client_as("phone").get(customer.get_absolute_url()).content.decode()
    assert "WS-77" in page
    assert "Wrong item delivered" in page and "Delivered" in page


def test_viewing_a_customer_is_audited(client_as, customer):
    client = client_as("webcare")
    client.get(customer.get_absolute_url())
    event = AuditEvent.objects.get(customer=customer)
    assert (event.actor, event.action) == (client.user, "viewed_customer")


def _full_history(customer, *, entries, agent):
    """Every panel filled: orders with lines, invoices, an open return, a case with an owner,
    a wish list, and entries written by an agent (the actor is shown per entry)."""
    from console.cases.services import case_open
    from console.commerce.services import return_open, wishlist_update
    from console.timeline.services import interaction_record

    for n in range(3):
        order = add_order(
            customer,
            number=f"WS-{customer.pk}-{n}",
            lines=[{"sku": f"S{n}{k}", "description": f"Artikel {k}", "unit_price": "10.00"} for k in range(3)],
        )
        add_invoice(customer, number=f"INV-{customer.pk}-{n}", amount="30.00", days_overdue=n * 20)
    return_open(user=agent, customer_id=customer.pk, order_line_id=order.lines.first().pk, reason="damaged")
    case_open(customer_id=customer.pk, title="Levering", owner=agent)
    wishlist_update(customer_id=customer.pk, items=[{"sku": "W1", "description": "Airfryer"}])
    add_entries(customer, entries)
    for n in range(5):
        interaction_record(
            user=agent, customer_id=customer.pk, record_kind="note", channel="phone", summary=f"Notitie {n}"
        )


def test_the_page_costs_the_same_queries_with_10_or_2000_entries(client_as, django_assert_max_num_queries):
    client = client_as("phone")
    small, large = CustomerFactory(), CustomerFactory()
    _full_history(small, entries=10, agent=client.user)
    _full_history(large, entries=2000, agent=client.user)
    client.get(small.get_absolute_url())  # warm the session and permission caches alike
    counts = {}
    for label, c in (("small", small), ("large", large)):
        # One query per panel (messages and latest questions included), whatever the history.
        with django_assert_max_num_queries(26) as captured:
            response = client.get(c.get_absolute_url())
        assert response.status_code == 200
        assert b"Artikel 2" in response.content and b"Airfryer" in response.content
        counts[label] = len(captured)
    assert counts["small"] == counts["large"]


def test_the_timeline_fragment_needs_a_role(client_as, customer):
    response = client_as(None).get(
        reverse("customers:timeline", args=[customer.pk]) + "?before=5", headers={"HX-Request": "true"}
    )
    assert response.status_code == 403


def test_store_staff_see_no_invoice_details_on_older_timeline_pages(client_as, customer, settings):
    settings.TIMELINE_PAGE_SIZE = 2
    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=47)
    add_entries(customer, 4)
    older = (
        client_as("store")
        .get(reverse("customers:timeline", args=[customer.pk]) + "?before=3", headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "details are for finance roles" in older
    assert "INV-2026-881" not in older and "740" not in older


def test_the_newest_entries_come_first_and_older_ones_load_by_keyset(client_as, customer, settings):
    settings.TIMELINE_PAGE_SIZE = 5
    add_entries(customer, 12, summary="Bericht")
    client = client_as("webcare")
    page = client.get(customer.get_absolute_url()).content.decode()
    assert page.index("Bericht 12") < page.index("Bericht 8")
    assert "Bericht 7" not in page
    assert "before=8" in page
    older = client.get(
        reverse("customers:timeline", args=[customer.pk]) + "?before=8", headers={"HX-Request": "true"}
    ).content.decode()
    assert "Bericht 7" in older and "Bericht 3" in older and "Bericht 8" not in older
    assert "before=3" in older
    oldest = client.get(
        reverse("customers:timeline", args=[customer.pk]) + "?before=3", headers={"HX-Request": "true"}
    ).content.decode()
    assert "Bericht 2" in oldest and "Bericht 1" in oldest and "Older" not in oldest


def test_the_channel_filter_shows_one_channel(client_as, customer):
    add_entries(customer, 2, channel="twitter", summary="Tweet")
    add_entries(customer, 2, channel="phone", summary="Gesprek")
    page = (
        client_as("webcare")
        .get(reverse("customers:timeline", args=[customer.pk]) + "?channel=twitter", headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "Tweet 1" in page and "Gesprek" not in page


def test_customer_text_is_rendered_as_text_never_as_html(client_as, customer):
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="twitter", summary=evil, body=evil)
    page = client_as("webcare").get(customer.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page


def test_each_invoice_shows_whether_it_is_open_overdue_or_paid(client_as, customer):
    from django.utils import timezone

    from console.commerce.services import payment_receive

    add_invoice(customer, number="INV-OPEN", amount="10.00", due_in=10)
    add_invoice(customer, number="INV-LATE", amount="20.00", days_overdue=3)
    paid = add_invoice(customer, number="INV-PAID", amount="30.00", due_in=5)
    payment_receive(invoice_id=paid.pk, amount=paid.amount, received_on=timezone.localdate())
    page = client_as("phone").get(customer.get_absolute_url()).content.decode()
    for number, label in (("INV-OPEN", "Open"), ("INV-LATE", "Overdue"), ("INV-PAID", "Paid")):
        row = page[page.index(f"<td>{number}</td>") :]
        row = row[: row.index("</tr>")]
        assert f">{label}</span>" in row, row


def test_the_picture_says_the_customer_is_active_on_another_channel_right_now(client_as, customer):
    from datetime import timedelta

    from django.utils import timezone

    timeline_entry_record(
        customer_id=customer.pk,
        kind="interaction",
        channel="chat",
        summary="Nog een vraag",
        occurred_at=timezone.now() - timedelta(minutes=2),
    )
    timeline_entry_record(
        customer_id=customer.pk,
        kind="interaction",
        channel="email",
        summary="Oude mail",
        occurred_at=timezone.now() - timedelta(hours=3),
    )
    # A letter that came back a minute ago is the post room's doing, not the customer's.
    timeline_entry_record(
        customer_id=customer.pk,
        kind="mail_returned",
        channel="post",
        summary="Brief retour",
        occurred_at=timezone.now() - timedelta(minutes=1),
    )
    page = client_as("phone").get(customer.get_absolute_url()).content.decode()
    activity = page[page.index('id="activity"') : page.index("</p>", page.index('id="activity"'))]
    assert "Active on Chat 2\xa0minutes ago" in activity
    assert "E-mail" not in activity and "Post" not in activity


def test_last_nights_chatbot_question_is_at_the_top_whatever_came_after(client_as, customer):
    """S3: the customer asked the chatbot last night, browsed and updated the wish list, and
    calls this morning: the question is the first thing above the timeline."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    said = [
        ("interaction", "email", "Een vraag van vorige maand", now - timedelta(days=30)),
        ("interaction", "chatbot", "Is de airfryer XL op voorraad in Utrecht?", now - timedelta(hours=12)),
        ("web_visit", "web", "Bekeek Airfryer XL", now - timedelta(hours=11)),
        ("interaction", "web", "Bekeek accessoires", now - timedelta(hours=11)),
        ("wishlist", "web", "Verlanglijst bijgewerkt", now - timedelta(hours=10)),
        ("call", "phone", "Incoming call", now - timedelta(minutes=1)),
    ]
    for kind, channel, summary, at in said:
        timeline_entry_record(customer_id=customer.pk, kind=kind, channel=channel, summary=summary, occurred_at=at)

    page = client_as("store").get(customer.get_absolute_url()).content.decode()
    latest = page[page.index('id="latest-questions"') : page.index("</section>", page.index('id="latest-questions"'))]
    assert "Latest from the customer" in latest and "Is de airfryer XL op voorraad in Utrecht?" in latest
    assert "Chatbot" in latest and 'href="#entry-2"' in latest
    assert "vorige maand" not in latest and "Bekeek" not in latest and "Incoming call" not in latest
    assert page.index('id="latest-questions"') < page.index('id="timeline"')


def test_without_recent_questions_the_strip_is_hidden(client_as, customer):
    page = client_as("phone").get(customer.get_absolute_url()).content.decode()
    assert 'id="latest-questions" aria-label="Latest from the customer" hidden' in page


def test_an_expired_id_document_says_expired_in_words(client_as, customer):
    from console.cases.data_quality import identity_check_record

    expired_on = timezone.localdate() - timedelta(days=200)
    identity_check_record(
        customer_id=customer.pk,
        document_type="Paspoort",
        document_last4="4821",
        expires_on=expired_on,
        result="expired",
        occurred_at=timezone.now(),
    )

    page = client_as("phone").get(customer.get_absolute_url()).content.decode()

    line = re.search(r'<li class="id-document[^"]*">(.*?)</li>', page, re.S)
    assert "id-expired" in line.group(0)
    assert "Expired" in line.group(1) and expired_on.strftime("%d-%m-%Y") in line.group(1)
    assert "valid until" not in line.group(1)


def test_a_valid_id_document_says_until_when(client_as, customer):
    from console.cases.data_quality import identity_check_record

    identity_check_record(
        customer_id=customer.pk,
        document_type="Rijbewijs",
        document_last4="3307",
        expires_on=timezone.localdate() + timedelta(days=5 * 365),
        result="valid",
        occurred_at=timezone.now(),
    )

    page = client_as("phone").get(customer.get_absolute_url()).content.decode()

    line = re.search(r'<li class="id-document[^"]*">(.*?)</li>', page, re.S)
    assert "id-expired" not in line.group(0) and "valid until" in line.group(1)


def test_the_return_form_carries_the_agents_csrf_token_and_a_push_carries_none(client_as, customer):
    from console.picture.fragments import panels_now

    add_order(customer, number="WS-2026-11803")
    page = client_as("phone").get(customer.get_absolute_url()).content.decode()
    pushed, _ = panels_now(customer.pk, finance=True)

    return_form = re.search(r'<form method="post" action="[^"]*/return/".*?</form>', page, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in return_form
    assert "/return/" in pushed and "csrfmiddlewaretoken" not in pushed
