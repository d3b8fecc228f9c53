from django.conf import settings
from django.db import models

from console.accounts.roles import Capability


class AuditTrailIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit row: the trail is only ever added to
    (docs/privacy.md). On PostgreSQL a trigger refuses the same in SQL (migration 0009)."""


class AuditEventQuerySet(models.QuerySet):
    """Reads and inserts only: the bulk paths that would change or remove rows raise."""

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("Audit rows are never changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditTrailIsAppendOnly("Audit rows are never changed.")

    def delete(self):
        raise AuditTrailIsAppendOnly("Audit rows are never deleted.")

    # What Model.save() and deletion's fast path call under the public methods above.
    def _update(self, values):
        raise AuditTrailIsAppendOnly("Audit rows are never changed.")

    def _raw_delete(self, using):
        raise AuditTrailIsAppendOnly("Audit rows are never deleted.")


class AuditEvent(models.Model):
    """Who did or viewed what, when and from where. Written by services, never edited."""

    class Action(models.TextChoices):
        VIEWED_CUSTOMER = "viewed_customer", "Viewed customer"
        RECORDED_INTERACTION = "recorded_interaction", "Recorded interaction"
        OPENED_RETURN = "opened_return", "Opened return"
        MERGED_CUSTOMERS = "merged_customers", "Merged customers"
        OVERRODE_FLAG = "overrode_flag", "Overrode a flag"
        OVERRIDE_LAPSED = "override_lapsed", "Flag override lapsed"
        DECIDED_CREDIT = "decided_credit", "Decided a credit approval"
        SENT_STATEMENT = "sent_statement", "Sent an invoice statement"
        CHANGED_FLAG_POLICY = "changed_flag_policy", "Changed the flag thresholds"
        SENT_MESSAGE = "sent_message", "Sent a message to the customer"
        OPENED_CASE = "opened_case", "Opened a case"
        UPDATED_CASE = "updated_case", "Changed a case"
        LINKED_TO_CASE = "linked_to_case", "Linked a contact to a case"
        ADDED_CASE_NOTE = "added_case_note", "Added a case note"
        CLOSED_CASE = "closed_case", "Closed a case"
        PROMISED_CALLBACK = "promised_callback", "Promised a callback"
        RESCHEDULED_CALLBACK = "rescheduled_callback", "Rescheduled a callback"
        COMPLETED_CALLBACK = "completed_callback", "Made a callback"
        STARTED_JOURNEY = "started_journey", "Started a guided journey"
        RECORDED_JOURNEY_CHOICE = "recorded_journey_choice", "Recorded the customer's choice in a journey"
        EXPORTED_CONVERSATIONS = "exported_conversations", "Exported conversations"
        CONFIRMED_ADDRESS = "confirmed_address", "Confirmed an address"
        CORRECTED_ADDRESS = "corrected_address", "Corrected an address"
        # Privacy (docs/privacy.md): the audit trail itself, API reads, GDPR requests.
        VIEWED_AUDIT_LOG = "viewed_audit_log", "Viewed the audit trail"
        EXPORTED_AUDIT_LOG = "exported_audit_log", "Exported the audit trail"
        API_READ = "api_read", "Read through the API"
        STARTED_EXPORT = "started_export", "Started a data export (right of access)"
        DOWNLOADED_EXPORT = "downloaded_export", "Downloaded a data export"
        REQUESTED_ERASURE = "requested_erasure", "Requested erasure (right to erasure)"
        APPROVED_ERASURE = "approved_erasure", "Approved an erasure"
        REFUSED_ERASURE = "refused_erasure", "Refused an erasure"
        ERASED_CUSTOMER = "erased_customer", "Erased a customer's personal data"
        PURGED_PAYLOADS = "purged_payloads", "Purged data past its retention period"
        RESTRICTED_CUSTOMER = "restricted_customer", "Changed who may see a restricted customer"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # Deleting a user the trail names is refused (deactivate them instead): SET_NULL would
        # rewrite audit rows. The (actor, created_at) index below serves the foreign key too.
        on_delete=models.PROTECT,
        db_index=False,
        related_name="audit_events",
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        # Customers are merged or erased, never deleted while the trail names them.
        on_delete=models.PROTECT,
        db_index=False,
        related_name="audit_events",
    )
    detail = models.CharField(max_length=500, blank=True)
    # For a read by a source system: its API token's source and prefix ("webshop kb_AbCdEfG").
    token = models.CharField(max_length=60, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # Related lookups and deletion's collector use the base manager: make it this one too.
        base_manager_name = "objects"
        # The audit trail's page lists newest first, filtered by any one of these (privacy/audit_selectors.py).
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_newest"),
            models.Index(fields=["customer", "-created_at"]),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_newest"),
            models.Index(fields=["action", "-created_at"], name="audit_action_newest"),
        ]
        # The capabilities that the role groups are made of (see roles.py).
        permissions = [(c.codename, c.label) for c in Capability]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Audit rows are never deleted.")


class AgentSeen(models.Model):
    """When a user last had a console open (console/live/online.py writes it for every process's
    consoles, one statement per refresh): who is online, for automatic assignment in the inbox."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"user {self.user_id} seen {self.seen_at:%Y-%m-%d %H:%M}"
