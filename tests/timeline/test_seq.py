import threading

import pytest
from django.db import connection, transaction

from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record
from tests.factories import CustomerFactory, add_entries


def seqs(customer):
    return list(TimelineEntry.objects.filter(customer=customer).order_by("seq").values_list("seq", flat=True))


@pytest.mark.django_db
def test_seqs_count_up_per_customer(customer):
    other = CustomerFactory()
    add_entries(customer, 3)
    add_entries(other, 2)
    add_entries(customer, 1)
    assert seqs(customer) == [1, 2, 3, 4]
    assert seqs(other) == [1, 2]


@pytest.mark.django_db
def test_a_rolled_back_entry_leaves_no_gap(customer):
    add_entries(customer, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        timeline_entry_record(customer_id=customer.pk, kind="note", channel="phone", summary="never committed")
        raise RuntimeError("the order write failed after the entry")
    add_entries(customer, 1)
    assert seqs(customer) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_show_a_reader_a_gap():
    """Writers (some rolling back) race for one customer while a reader polls the timeline.

    Seqs are handed out in commit order only if every committed state a reader can see is
    1..k with nothing missing: a later seq committed before an earlier one would show a gap.
    """
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is tested on PostgreSQL (set DATABASE_URL); SQLite has one writer")
    customer = CustomerFactory()
    writers, per_writer = 6, 15
    barrier = threading.Barrier(writers + 1)
    done = threading.Event()
    gaps = []

    def write(worker):
        barrier.wait()
        try:
            for n in range(per_writer):
                try:
                    with transaction.atomic():
                        timeline_entry_record(
                            customer_id=customer.pk,
                            kind="interaction",
                            channel="chat",
                            summary=f"writer {worker} entry {n}",
                        )
                        if n % 5 == 4:
                            raise RuntimeError("roll this one back")
                except RuntimeError:
                    pass
        finally:
            connection.close()

    def read():
        barrier.wait()
        try:
            while not done.is_set():
                seen = seqs(customer)
                if seen != list(range(1, len(seen) + 1)):
                    gaps.append(seen)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    reader = threading.Thread(target=read)
    for t in [*threads, reader]:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join()
    committed = writers * (per_writer - per_writer // 5)
    assert gaps == []
    assert seqs(customer) == list(range(1, committed + 1))
    customer.refresh_from_db()
    assert customer.last_seq == committed


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_for_the_first_to_commit():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (set DATABASE_URL)")
    customer = CustomerFactory()
    first_holds, second_done = threading.Event(), threading.Event()
    release = threading.Event()
    got = {}

    def first():
        try:
            with transaction.atomic():
                got["first"] = timeline_entry_record(
                    customer_id=customer.pk, kind="note", channel="phone", summary="first"
                ).seq
                first_holds.set()
                release.wait(5)
        finally:
            connection.close()

    def second():
        first_holds.wait(5)
        try:
            got["second"] = timeline_entry_record(
                customer_id=customer.pk, kind="note", channel="phone", summary="second"
            ).seq
            second_done.set()
        finally:
            connection.close()

    a, b = threading.Thread(target=first), threading.Thread(target=second)
    a.start()
    b.start()
    assert not second_done.wait(0.5), "the second writer got a seq while the first still held the lock"
    release.set()
    a.join()
    b.join()
    assert (got["first"], got["second"]) == (1, 2)
