from django.apps import AppConfig


class QueuesConfig(AppConfig):
    """Each team's queue of open cases, soonest due first, with the callback each case promised."""

    name = "console.queues"
    verbose_name = "Team queues"

    def ready(self):
        from console.queues import fragments
        from console.reactions import CASE_CHANGED, CUSTOMER_RESTRICTED, hear

        hear(CASE_CHANGED, fragments.case_changed)
        hear(CUSTOMER_RESTRICTED, fragments.customer_restricted)
