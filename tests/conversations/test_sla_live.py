"""The SLA notices, live: the owner sees a warning on every page they have open, the managers a
breach notice, each once though the job runs twice; colleagues see neither. Two workers running
the job at the same moment notify once (PostgreSQL: real concurrent transactions)."""

import threading

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.db import connection

from console.conversations.models import Conversation
from console.conversations.services import conversation_take
from console.conversations.sla_watch import conversations_sla_watch
from console.timeline.models import TimelineEntry
from tests.cases.test_live import frames_until_quiet
from tests.conversations.conftest import tweet

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.asyncio
async def test_the_owner_sees_the_warning_and_the_managers_the_breach_once(
    shipped, session_cookie, socket, api, tweeter
):
    anna, anna_cookie = await sync_to_async(session_cookie)("webcare", first_name="Anna")
    _, bram_cookie = await sync_to_async(session_cookie)("webcare", first_name="Bram")
    _, manager_cookie = await sync_to_async(session_cookie)("manager")
    anna_page, bram_page = await socket(anna_cookie), await socket(bram_cookie)
    manager_page = await socket(manager_cookie)

    def conversation_goes_overdue():
        # Not by moving the clock (the channel layers keep groups and messages by it too): the
        # job is run at the conversation's own warning and due moments.
        api.post(tweet("Mijn pakket is kwijt"))
        conversation = conversation_take(conversation_id=Conversation.objects.get().pk, user=anna)
        assert conversations_sla_watch(now=conversation.warn_at) == (1, 0, 0)
        assert conversations_sla_watch(now=conversation.due_at) == (0, 1, 0)
        assert conversations_sla_watch(now=conversation.due_at) == (0, 0, 0)

    await sync_to_async(conversation_goes_overdue)()
    anna_frames = await frames_until_quiet(anna_page)
    warnings = [f for f in anna_frames if "Answer soon" in f]
    assert len(warnings) == 1
    assert "Sanne Jansen on Twitter, due " in warnings[0] and "tone-warn" in warnings[0]
    assert 'hx-swap-oob="beforeend:#agent-notices"' in warnings[0]
    assert not any("Not answered in time" in f for f in anna_frames)  # not a manager
    breaches = [f for f in await frames_until_quiet(manager_page) if "Not answered in time" in f]
    assert len(breaches) == 1 and "Sanne Jansen on Twitter" in breaches[0] and "(Anna" in breaches[0]
    assert not any("Answer soon" in f or "Not answered" in f for f in await frames_until_quiet(bram_page))


@pytest.mark.asyncio
async def test_the_managers_see_a_conversation_not_done_in_time_once(shipped, session_cookie, socket, api, tweeter):
    anna, _ = await sync_to_async(session_cookie)("webcare", first_name="Anna")
    _, bram_cookie = await sync_to_async(session_cookie)("webcare", first_name="Bram")
    _, manager_cookie = await sync_to_async(session_cookie)("manager")
    bram_page, manager_page = await socket(bram_cookie), await socket(manager_cookie)

    def conversation_not_done_in_time():
        api.post(tweet("Mijn pakket is kwijt"))
        conversation = conversation_take(conversation_id=Conversation.objects.get().pk, user=anna)
        assert conversations_sla_watch(now=conversation.resolution_due_at).not_done == 1
        assert conversations_sla_watch(now=conversation.resolution_due_at).not_done == 0

    await sync_to_async(conversation_not_done_in_time)()
    notices = [f for f in await frames_until_quiet(manager_page) if "Not done in time" in f]
    assert len(notices) == 1 and "Sanne Jansen on Twitter, to be done by " in notices[0] and "(Anna" in notices[0]
    assert "tone-bad" in notices[0]
    assert not any("Not done in time" in f for f in await frames_until_quiet(bram_page))


def test_two_workers_running_the_job_at_once_notify_once(shipped, api, tweeter):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions are tested on PostgreSQL (set DATABASE_URL); SQLite has one writer")
    api.post(tweet())
    conversation = Conversation.objects.get()
    workers = 8
    barrier, results, lock = threading.Barrier(workers), [], threading.Lock()

    def run_job():
        barrier.wait()
        try:
            told = conversations_sla_watch(now=conversation.resolution_due_at)
        finally:
            connection.close()
        with lock:
            results.append(told)

    threads = [threading.Thread(target=run_job) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # The warning, the breach and the resolution breach: each once.
    assert [sum(counts) for counts in zip(*results, strict=True)] == [1, 1, 1]
    notes = TimelineEntry.objects.filter(kind="conversation", summary__startswith="SLA")
    assert notes.count() == 3
