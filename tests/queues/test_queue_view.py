"""Team queues: a team's open cases, the soonest due first, overdue ones marked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from console.cases.services import case_update
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def queue(team):
    return reverse("queues:queue", args=[team])


def test_it_lists_the_teams_open_cases_soonest_due_first(client_as, customer, open_case, make_user):
    now = timezone.now()
    later = open_case(customer, title="Later", team="phone", due_at=now + timedelta(days=2))
    open_case(customer, title="Zonder tijd", team="phone")
    overdue = open_case(customer, title="Te laat", team="phone", due_at=now - timedelta(hours=3))
    soon = open_case(customer, title="Vandaag", team="phone", due_at=now + timedelta(hours=1))
    open_case(customer, title="Andere queue", team="webcare", due_at=now)
    closed = open_case(customer, title="Afgerond", team="phone", due_at=now - timedelta(days=9))
    case_update(case_id=closed.pk, user=make_user("phone"), status="resolved")

    page = client_as("store").get(queue("phone")).content.decode()
    order = [page.index(t) for t in ("Te laat", "Vandaag", "Later", "Zonder tijd")]
    assert order == sorted(order)
    assert "Andere queue" not in page and "Afgerond" not in page
    assert f'class="queue-row overdue" id="queue-case-{overdue.pk}"' in page
    assert f'class="queue-row" id="queue-case-{soon.pk}"' in page and f'id="queue-case-{later.pk}"' in page
    assert "4 open" in page and "1 overdue" in page


def test_the_page_subscribes_to_its_team(client_as):
    page = client_as("webcare").get(queue("back_office")).content.decode()
    assert 'ws-connect="/ws/console/?team=back_office"' in page


def test_an_unknown_team_is_404(client_as):
    assert client_as("phone").get("/cases/queues/marketing/").status_code == 404


def test_it_requires_a_role(client, client_as):
    assert client.get(queue("phone")).status_code == 302
    assert client_as(None).get(queue("phone")).status_code == 403


def test_queues_opens_the_agents_own_team(client_as):
    assert client_as("webcare").get(reverse("queues:queues"))["Location"] == queue("webcare")
    assert client_as("manager").get(reverse("queues:queues"))["Location"] == queue("back_office")


def test_htmx_refresh_gets_the_list_alone(client_as, customer, open_case):
    open_case(customer, title="Vraag", team="store")
    response = client_as("store").get(queue("store"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="queue card" id="queue-list"') and "Vraag" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_costs_the_same_queries_however_long(client_as, open_case, count, django_assert_max_num_queries):
    client = client_as("phone")
    for n in range(count):
        open_case(CustomerFactory(), title=f"Case {n}", team="phone", owner=client.user)
    with django_assert_max_num_queries(7):
        assert client.get(queue("phone")).status_code == 200
