"""Beat runs and workers racing for the same callback about to be missed (PostgreSQL: real
concurrent transactions): the customer is texted once."""

from datetime import timedelta

import pytest
import time_machine

from console.callbacks.about_to_be_missed import callbacks_warn_about_to_be_missed
from console.callbacks.models import Callback
from console.messaging.models import OutboundMessage
from console.timeline.models import TimelineEntry
from tests.callbacks.conftest import at
from tests.messaging.test_concurrency import RACERS, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_racing_beat_runs_move_the_callback_and_text_the_customer_once(caller, promised):
    customer = caller()
    now = at(24, 14, 40)  # (a window within opening hours, whenever the test runs)
    with time_machine.travel(now, tick=False):
        callback = promised(customer, at(24, 14), at(24, 15))
    later = now + timedelta(minutes=10)

    outcomes = race(lambda: callbacks_warn_about_to_be_missed(now=later))

    assert sorted(outcomes.elements()) == [0] * (RACERS - 1) + [1]
    assert OutboundMessage.objects.filter(customer=customer, template_key="callback_new_time").count() == 1
    assert Callback.objects.get(pk=callback.pk).moved_count == 1
    moved = TimelineEntry.objects.filter(case=callback.case, kind="case", actor_source="callbacks")
    assert moved.count() == 1
