from django.apps import AppConfig


class PictureConfig(AppConfig):
    """The customer picture: what an agent sees of one customer, gathered from every app below
    (search, the page and its live console, merging two records, the read API)."""

    name = "console.picture"
    verbose_name = "Customer picture"

    def ready(self):
        from console.picture import fragments
        from console.reactions import ENTRY_RECORDED, hear

        hear(ENTRY_RECORDED, fragments.entry_pushed)
