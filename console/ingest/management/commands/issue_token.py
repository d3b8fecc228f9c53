from django.core.management.base import BaseCommand, CommandError

from console.ingest.models import ApiToken, Scope
from console.ingest.schemas import EVENT_TYPES

# What a token gets without --scope: what a source system needs. Reading the inbox's
# conversations (a workforce-management system) is asked for by name.
DEFAULT_SCOPES = [Scope.EVENTS_WRITE, Scope.CUSTOMERS_READ, Scope.CUSTOMERS_CREATE]


class Command(BaseCommand):
    help = (
        "Issue an API token for a source system. The plain token is printed once, alone on the "
        "last line; only its hash is stored. Without --scope the token gets events:write, "
        "customers:read and customers:create (conversations:read only when named)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="The source system, e.g. webshop, finance, postroom.")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            default=[],
            help="events:write, events:<type>, customers:read, customers:create or conversations:read (repeatable).",
        )

    def handle(self, *args, source, scopes, **options):
        valid = {str(s) for s in Scope} | {f"events:{t}" for t in EVENT_TYPES}
        unknown = [s for s in scopes if s not in valid]
        if unknown:
            raise CommandError(f"Unknown scope(s): {', '.join(unknown)}. Valid: {', '.join(sorted(valid))}")
        if not source.strip():
            raise CommandError("--source must name the source system.")
        token, plain = ApiToken.issue(source=source.strip(), scopes=scopes or [str(s) for s in DEFAULT_SCOPES])
        self.stderr.write(f"Token for source '{token.source}' with scopes {', '.join(token.scopes)}.")
        self.stderr.write("Store it now: it is not shown again. Revoke it in the admin (API tokens).")
        self.stdout.write(plain)
