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
def test_concurrent_writers_for_one_customer_get_seqs_without_gaps_in_commit_order():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is tested on PostgreSQL (set DATABASE_URL); SQLite has one writer")
    customer = CustomerFactory()
    writers, per_writer = 8, 15
    commit_order = []
    lock = threading.Lock()
    barrier = threading.Barrier(writers)

    def write(worker):
        barrier.wait()
        try:
            for n in range(per_writer):
                with transaction.atomic():
                    entry = timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="chat",
                                                  summary=f"writer {worker} entry {n}")
                    # Record the seq as the transaction commits, while the row lock is still held.
                    transaction.on_commit(lambda seq=entry.seq: _note(seq))
        finally:
            connection.close()

    def _note(seq):
        with lock:
            commit_order.append(seq)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = writers * per_writer
    assert seqs(customer) == list(range(1, total + 1))
    # Each on_commit runs right after its COMMIT; a later seq never commits before an earlier one.
    assert sorted(commit_order) == list(range(1, total + 1))
    customer.refresh_from_db()
    assert customer.last_seq == total
