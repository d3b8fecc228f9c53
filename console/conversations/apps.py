from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    """The inbox: every customer message that expects an answer opens or joins a conversation,
    which someone takes and answers in time (docs/inbox.md)."""

    name = "console.conversations"
    verbose_name = "Inbox"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from console.conversations import answer_rules, models, restricted, services, sla, tasks  # noqa: F401 - tasks: run_periodic finds the job
        from console.reactions import CUSTOMER_RESTRICTED, ENTRY_RECORDED, hear

        hear(ENTRY_RECORDED, services.entry_recorded)
        hear(CUSTOMER_RESTRICTED, restricted.customer_restricted)

        # The SLA calendar and policies are cached (every inbound message asks for them): an
        # admin's change forgets them.
        for model in (models.SlaPolicy, models.OpeningHours, models.ClosedDay):
            post_save.connect(sla.rules_changed, sender=model, dispatch_uid=f"sla-{model.__name__}-saved")
            post_delete.connect(sla.rules_changed, sender=model, dispatch_uid=f"sla-{model.__name__}-deleted")
        # So is the answer rules table (every inbound event asks it).
        post_save.connect(answer_rules.rules_changed, sender=models.AnswerRule, dispatch_uid="answer-rule-saved")
        post_delete.connect(answer_rules.rules_changed, sender=models.AnswerRule, dispatch_uid="answer-rule-deleted")
