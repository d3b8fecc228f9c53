"""Twenty agents take one conversation at the same moment: exactly one wins, the others hear who
(PostgreSQL: real concurrent transactions; the take is one conditional UPDATE)."""

import threading
from collections import Counter

import pytest
from django.db import connection

from console.conversations.models import Conversation
from console.conversations.services import Taken, conversation_take
from tests.conftest import shipped_data_ensure
from tests.conversations.conftest import tweet

pytestmark = pytest.mark.django_db(transaction=True)
AGENTS = 20


def test_of_twenty_agents_taking_at_once_exactly_one_wins(shipped, api, tweeter, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions are tested on PostgreSQL (set DATABASE_URL); SQLite has one writer")
    # A database flushed by an earlier transactional test: the answer rules back.
    shipped_data_ensure()
    api.post(tweet())
    conversation = Conversation.objects.get()
    agents = [make_user("webcare", first_name=f"Agent{n}") for n in range(AGENTS)]
    barrier, outcomes, lock = threading.Barrier(AGENTS), Counter(), threading.Lock()

    def take(agent):
        barrier.wait()
        try:
            conversation_take(conversation_id=conversation.pk, user=agent)
            said = f"won by {agent.first_name}"
        except Taken as taken:
            said = f"taken by {taken.conversation.assignee.first_name}"
        finally:
            connection.close()
        with lock:
            outcomes[said] += 1

    threads = [threading.Thread(target=take, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winner = Conversation.objects.get().assignee
    assert outcomes == Counter({f"won by {winner.first_name}": 1, f"taken by {winner.first_name}": AGENTS - 1})
