from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    """The inbox: every customer message that expects an answer opens or joins a conversation,
    which someone takes and answers in time (docs/inbox.md)."""

    name = "console.conversations"
    verbose_name = "Inbox"

    def ready(self):
        from console.conversations import services, tasks  # noqa: F401 - tasks registered in every process
        from console.reactions import ENTRY_RECORDED, hear

        hear(ENTRY_RECORDED, services.entry_recorded)
