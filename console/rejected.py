"""The one error a service raises when a change does not fit the records.

An unknown order, another customer's invoice, an invoice issued twice, a case number the
customer does not have: the input is well-formed but cannot be applied. ``field`` names the
input it comes from as a path into the event (``data.order_number``), so the event API answers
422 on that field; a form shows the message. It imports no app (docs/architecture.md).
"""


class Rejected(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
