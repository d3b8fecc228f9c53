"""Fill the database with demo users and customers, or with benchmark-size data.

Demo mode (default): five users, one per role (webcare, phone, store, manager, admin), and
~200 Dutch customers with histories written through the normal services, an inbox of what they
wrote in the last three days (~300 conversations on every channel that expects an answer: new,
overdue, taken, answered, done), plus the story customers of /work/shared/STORIES.md in their
"before" state:

    S1  C-200001  Jeroen de Vries   06 12345678 / j.devries@example.nl   wrong item, credit hold
    S1  C-200006  Marieke Bakker    06 45678901 / m.bakker@example.nl    loyal: gold
    S2  C-200002  Sanne Jansen      @sjansen / Dorpsstraat 1, 1234 AB Ergens  post returned
    S3  C-200003  Fatima El Amrani  06 23456789 / f.elamrani@example.nl  chatbot last night
    S4  C-200004  Pieter van Dijk   06 28765432 / p.vandijk@example.nl   case across channels
    S5  C-200005  Ahmed Yilmaz      06 34567890 / a.yilmaz@example.nl    two SIMs, ID expired

Running it again changes nothing ("Demo data already present"); --reset deletes all
customers and the demo users first.

Bulk mode (--entries-per-customer and/or --big-customer-entries): B-000000001... customers
with an e-mail and a phone identifier and K timeline entries each, bulk inserted, no flags.
"""

import argparse
import time

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from console.cases.models import Case
from console.commerce.models import Invoice, Order
from console.conversations.listing import breaching_q
from console.conversations.models import Conversation
from console.customers.models import Customer
from console.demo.bulk import all_customers_delete, bulk_seed
from console.demo.crowd import Crowd
from console.demo.restricted import GROUP as RESTRICTED_GROUP
from console.demo.restricted import NAME as RESTRICTED_NAME
from console.demo.restricted import NUMBER as RESTRICTED_NUMBER
from console.demo.restricted import restricted_seed
from console.demo.stories import STORY_CUSTOMERS, STORY_EMAILS, STORY_PHONES, stories_seed
from console.demo.users import (
    DEFAULT_PASSWORD,
    demo_users_delete,
    demo_users_ensure,
    demo_users_exist,
    demo_users_read,
    user_table,
)
from console.flags.models import Flag
from console.ingest.models import ApiToken, Scope
from console.live.publish import quiet
from console.timeline.models import TimelineEntry

# Beyond this the per-customer services take minutes; that is what bulk mode is for.
MAX_DEMO_CUSTOMERS = 5000
SIMULATOR_SCOPES = [Scope.EVENTS_WRITE, Scope.CUSTOMERS_READ, Scope.CUSTOMERS_CREATE]
SIMULATE = ".venv/bin/python manage.py simulate --url http://127.0.0.1:8000 --token {token}"


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Keep the story table in --help as written instead of reflowing it into one paragraph."""


class Command(BaseCommand):
    help = __doc__

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help=f"Password for new demo users (default: {DEFAULT_PASSWORD})."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete ALL customers and the five demo users before seeding."
        )
        parser.add_argument(
            "--customers", type=int, default=None, help="Number of customers (demo default 200, bulk default 100000)."
        )
        parser.add_argument(
            "--entries-per-customer", type=int, default=None, help="Bulk mode: timeline entries per customer."
        )
        parser.add_argument(
            "--big-customer-entries",
            type=int,
            default=0,
            help="Bulk mode: also add customer B-BIG with this many entries.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, **options):
        bulk = options["entries_per_customer"] is not None or options["big_customer_entries"] > 0
        if options["reset"]:
            self._reset()
        if bulk:
            self._bulk(options)
        else:
            self._demo(options)

    def _reset(self):
        customers = all_customers_delete()
        users = demo_users_delete()
        self.stdout.write(f"Reset: deleted {customers:,} customers and {users} demo user(s).")

    def _demo(self, options):
        count = 200 if options["customers"] is None else options["customers"]
        if count > MAX_DEMO_CUSTOMERS:
            raise CommandError(
                f"Demo mode writes through the services and is meant for up to "
                f"{MAX_DEMO_CUSTOMERS:,} customers; add --entries-per-customer for bulk mode."
            )
        password = options["password"]
        if demo_users_exist() and Customer.objects.exists():
            self.stdout.write(self.style.WARNING("Demo data already present (use --reset to start over)."))
            self._print_users(demo_users_read(password))
            self._simulator_token()
            return
        users = demo_users_ensure(password)
        if Customer.objects.exists():
            # Someone else's customers (bulk data, a test run): adding demo customers on top
            # could collide with their numbers, so only the users are made.
            self.stdout.write(self.style.WARNING("Customers already present: created the demo users only."))
        else:
            self._seed_customers(users, count, options["seed"])
        self._print_users(users)
        self._simulator_token()

    def _seed_customers(self, users, count, seed):
        started = time.monotonic()
        crowd = Crowd(users=users, seed=seed, reserved_phones=STORY_PHONES, reserved_emails=STORY_EMAILS)
        # No console has these customers open yet: no live pushes (rendering them was most of the time).
        with quiet():
            crowd.seed(count, progress=lambda n, total: self.stdout.write(f"customers {n}/{total} …"))
            stories_seed(users)
            restricted_seed(users)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {Customer.objects.count():,} customers, "
                f"{TimelineEntry.objects.count():,} timeline entries, {Order.objects.count():,} orders, "
                f"{Invoice.objects.count():,} invoices, "
                f"{Case.objects.count():,} cases in {elapsed:.1f} s."
            )
        )
        self._print_inbox()
        self._print_stories()
        self.stdout.write(
            f"\nRestricted customer: {RESTRICTED_NUMBER} {RESTRICTED_NAME}, only for the group "
            f"{RESTRICTED_GROUP} (no demo user is in it; docs/privacy.md)."
        )

    def _print_inbox(self):
        open_ = Q(status__in=Conversation.OPEN_STATUSES)
        counts = Conversation.objects.aggregate(
            open=Count("pk", filter=open_),
            unassigned=Count("pk", filter=open_ & Q(assignee__isnull=True)),
            breaching=Count("pk", filter=breaching_q(timezone.now())),
            done=Count("pk", filter=Q(status=Conversation.Status.DONE)),
        )
        self.stdout.write(
            "Inbox: {open:,} open conversations ({unassigned:,} unassigned, {breaching:,} breaching), "
            "{done:,} done.".format(**counts)
        )

    def _print_stories(self):
        self.stdout.write("\nStory customers (before state):")
        flags = {
            (f.customer.customer_number, f.kind): f
            for f in Flag.objects.select_related("customer").filter(
                customer__customer_number__in=[row[1] for row in STORY_CUSTOMERS]
            )
        }
        for story, number, name, find, what in STORY_CUSTOMERS:
            self.stdout.write(f"  {story}  {number}  {name:<17} {find}")
            self.stdout.write(f"      {what}")
            credit = flags.get((number, Flag.Kind.CREDIT))
            if credit and credit.level != "ok":
                self.stdout.write(f'      credit flag: {credit.level}, "{credit.reason}"')

    def _print_users(self, users):
        self.stdout.write("\nDemo users (log in at /accounts/login/; admin can also use /admin/):")
        for line in user_table(users):
            self.stdout.write("  " + line)

    def _simulator_token(self):
        """A fresh token for `manage.py simulate`, so the demo can start with one paste.

        Only the plain token is printable and it is not stored, so each run issues a new one;
        the older simulator tokens are revoked so they do not pile up in the admin.
        """
        with transaction.atomic():
            ApiToken.objects.filter(source="simulator", revoked_at__isnull=True).update(revoked_at=timezone.now())
            _, plain = ApiToken.issue(source="simulator", scopes=[str(s) for s in SIMULATOR_SCOPES])
        command = SIMULATE.format(token=plain)
        self.stdout.write(f"\nSimulate traffic:  {command} --rate 5")
        self.stdout.write(f"Replay a story:    {command} --story s1")

    def _bulk(self, options):
        count = 100_000 if options["customers"] is None else options["customers"]
        entries = options["entries_per_customer"] or 0
        users = demo_users_ensure(options["password"])
        self.stdout.write(
            f"Bulk mode on {connection.vendor}: {count:,} customers x {entries} entries"
            + (f", plus B-BIG with {options['big_customer_entries']:,}" if options["big_customer_entries"] else "")
            + ". Flags are not computed in bulk mode."
        )
        result = bulk_seed(
            customers=count,
            entries_per_customer=entries,
            big_customer_entries=options["big_customer_entries"],
            write=self.stdout.write,
            seed=options["seed"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Bulk: {result.customers:,} customers, {result.entries:,} timeline entries in "
                f"{result.seconds:.1f} s ({result.entries / max(result.seconds, 0.001):,.0f} entries/s). "
                "Flags skipped in bulk mode."
            )
        )
        self._print_users(users)
