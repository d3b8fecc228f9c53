"""The four flags as one SQL query over a set of customers: one customer after an event, or all
of them at night.

There is one implementation of the rules, and it is this query, so a flag computed at night and
the same flag computed after an invoice event can never disagree. It works in sets (the database
groups a million invoices by customer; Python never loops over customers), which keeps the
nightly run fast and its memory flat. The thresholds come from ``FlagPolicy``, which an admin
edits without a deploy.

The query yields one row per customer and kind: ``customer_id, kind, level, reason,
reason_without_amounts``. Reasons are written in SQL in the console's words (``EUR 1,240``,
``oldest 47 days``); ``console.ui.money.euro_short`` formats amounts the same way in
Python, and a test holds the two to each other.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection

from console.flags.models import FlagPolicy


@dataclass(frozen=True)
class Dialect:
    """The few expressions PostgreSQL and SQLite write differently."""

    vendor: str

    def date_param(self, name: str) -> str:
        return f"CAST(%({name})s AS date)" if self.vendor == "postgresql" else f"%({name})s"

    def days_between(self, earlier: str, later: str) -> str:
        if self.vendor == "postgresql":
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def thousands(self, whole: str) -> str:
        """A whole number with comma separators: 1,240."""
        if self.vendor == "postgresql":
            return f"to_char({whole}, 'FM999,999,999,999,990')"
        return f"printf('%%,d', {whole})"

    def two_digits(self, number: str) -> str:
        if self.vendor == "postgresql":
            return f"to_char({number}, 'FM00')"
        return f"printf('%%02d', {number})"

    def date_text(self, day: str) -> str:
        """A date the Dutch way: 24-11-2026."""
        if self.vendor == "postgresql":
            return f"to_char({day}, 'DD-MM-YYYY')"
        return f"strftime('%%d-%%m-%%Y', {day})"

    def text(self, value: str) -> str:
        return f"CAST({value} AS TEXT)"

    def euro(self, amount: str) -> str:
        """``EUR 1,240`` for whole euros, ``EUR 1,240.50`` otherwise (as ``money.euro_short``)."""
        cents = f"CAST(ROUND({amount} * 100) AS BIGINT)"
        return (
            f"('EUR ' || {self.thousands(f'({cents} / 100)')} || "
            f"CASE WHEN {cents} %% 100 = 0 THEN '' ELSE '.' || {self.two_digits(f'({cents} %% 100)')} END)"
        )

    def counted(self, number: str, word: str) -> str:
        """``1 invoice``, ``2 invoices``."""
        return f"({self.text(number)} || CASE WHEN {number} = 1 THEN ' {word}' ELSE ' {word}s' END)"


def _only(column: str, customer_ids: list[int] | None, id_range: tuple[int, int] | None, params: dict) -> str:
    """The filter to some customers: a list (after an event) or a range of ids (a nightly chunk)."""
    if id_range is not None:
        params["lo"], params["hi"] = id_range
        return f" AND {column} BETWEEN %(lo)s AND %(hi)s"
    if customer_ids is None:
        return ""
    names = []
    for i, pk in enumerate(customer_ids):
        params[f"c{i}"] = pk
        names.append(f"%(c{i})s")
    return f" AND {column} IN ({', '.join(names) or 'NULL'})"


def _credit(d: Dialect, only: str, only_fk: str) -> str:
    """Open invoices grouped by customer; hold and watch as FlagPolicy sets them."""
    today = d.date_param("today")
    oldest = d.days_between("x.oldest_due", today)
    overdue_words = (
        f"{d.counted('x.overdue_count', 'invoice')} || ' overdue'"
        f" || ', oldest ' || {d.counted(oldest, 'day')}"
        f" || CASE WHEN x.reminders > 0 THEN ', ' || {d.counted('x.reminders', 'reminder')} || ' sent' ELSE '' END"
    )
    with_amounts = (
        f"{d.counted('x.overdue_count', 'invoice')} || ' overdue, ' || {d.euro('x.open_total')} || ' open'"
        f" || ', oldest ' || {d.counted(oldest, 'day')}"
        f" || CASE WHEN x.reminders > 0 THEN ', ' || {d.counted('x.reminders', 'reminder')} || ' sent' ELSE '' END"
    )
    return f"""
    SELECT x.customer_id, 'credit' AS kind,
      CASE
        WHEN x.overdue_count > 0 AND ({oldest} > %(hold_days)s OR x.overdue_total > CAST(%(hold_amount)s AS NUMERIC)
             OR x.reminders >= %(hold_reminders)s) THEN 'hold'
        WHEN x.overdue_count > 0 AND {oldest} > %(watch_days)s THEN 'watch'
        ELSE 'ok' END AS level,
      CASE
        WHEN x.overdue_count > 0 THEN {with_amounts}
        WHEN x.open_total > 0 THEN 'Nothing overdue, ' || {d.euro("x.open_total")} || ' open'
        ELSE 'No open invoices' END AS reason,
      CASE
        WHEN x.overdue_count > 0 THEN {overdue_words}
        WHEN x.open_total > 0 THEN 'Nothing overdue'
        ELSE 'No open invoices' END AS reason_without_amounts,
      x.overdue_total AS amount_overdue, x.open_total AS amount_open, x.oldest_due AS oldest_due_on
    FROM (
      SELECT c.id AS customer_id,
        COALESCE(i.open_total, 0) AS open_total,
        COALESCE(i.overdue_count, 0) AS overdue_count,
        COALESCE(i.overdue_total, 0) AS overdue_total,
        i.oldest_due,
        COALESCE(i.reminders, 0) AS reminders
      FROM customers_customer c
      LEFT JOIN (
        SELECT customer_id,
          SUM(amount - paid_amount) AS open_total,
          SUM(CASE WHEN due_on < {today} THEN 1 ELSE 0 END) AS overdue_count,
          SUM(CASE WHEN due_on < {today} THEN amount - paid_amount ELSE 0 END) AS overdue_total,
          MIN(CASE WHEN due_on < {today} THEN due_on END) AS oldest_due,
          MAX(CASE WHEN due_on < {today} THEN reminders_sent ELSE 0 END) AS reminders
        FROM commerce_invoice
        WHERE paid_amount < amount{only_fk}
        GROUP BY customer_id
      ) i ON i.customer_id = c.id
      WHERE c.merged_into_id IS NULL{only}
    ) x"""  # noqa: S608 - our own SQL only; values are parameters


def _loyalty(d: Dialect, only: str, only_fk: str) -> str:
    """Twelve months' spend, years as a customer, and the share of orders returned."""
    tier = """CASE
        WHEN x.spend >= CAST(%(gold_spend)s AS NUMERIC)
          OR (x.spend >= CAST(%(silver_spend)s AS NUMERIC) AND x.years >= %(gold_years)s) THEN 2
        WHEN x.spend >= CAST(%(silver_spend)s AS NUMERIC) OR x.years >= %(silver_years)s THEN 1
        ELSE 0 END"""
    returned_much = "(x.orders > 0 AND x.returns * 100 > x.orders * %(max_returns_percent)s)"
    return f"""
    SELECT y.customer_id, 'loyalty' AS kind,
      CASE y.tier WHEN 2 THEN 'gold' WHEN 1 THEN 'silver' ELSE 'none' END AS level,
      y.reason, '' AS reason_without_amounts, NULL AS amount_overdue, NULL AS amount_open, NULL AS oldest_due_on
    FROM (
      SELECT x.customer_id,
        CASE WHEN {returned_much} AND {tier} > 0 THEN {tier} - 1 ELSE {tier} END AS tier,
        {d.euro("x.spend")} || ' spent in 12 months, customer for ' || {d.counted("x.years", "year")}
          || CASE WHEN {returned_much}
             THEN ', ' || {d.text("x.returns")} || ' of ' || {d.counted("x.orders", "order")} || ' returned'
             ELSE '' END AS reason
      FROM (
        SELECT c.id AS customer_id,
          COALESCE(o.spend, 0) AS spend, COALESCE(o.orders, 0) AS orders, COALESCE(r.returns, 0) AS returns,
          {d.days_between("c.customer_since", d.date_param("today"))} / 365 AS years
        FROM customers_customer c
        LEFT JOIN (
          SELECT customer_id, SUM(total) AS spend, COUNT(*) AS orders
          FROM commerce_order
          WHERE placed_at >= %(year_ago)s AND status <> 'cancelled'{only_fk}
          GROUP BY customer_id
        ) o ON o.customer_id = c.id
        LEFT JOIN (
          SELECT customer_id, COUNT(*) AS returns
          FROM commerce_return
          WHERE opened_at >= %(year_ago)s AND status <> 'rejected'{only_fk}
          GROUP BY customer_id
        ) r ON r.customer_id = c.id
        WHERE c.merged_into_id IS NULL{only}
      ) x
    ) y"""  # noqa: S608 - our own SQL only; values are parameters


def _data_quality(only: str, only_fk: str) -> str:
    """Returned post marks an address undeliverable; a bounced e-mail is the lighter warning."""
    return f"""
    SELECT c.id AS customer_id, 'data_quality' AS kind,
      CASE WHEN a.n > 0 THEN 'undeliverable' WHEN m.n > 0 THEN 'bounced' ELSE 'ok' END AS level,
      CASE
        WHEN a.n > 0 THEN 'Post returned: ' || a.first_address
          || CASE WHEN m.n > 0 THEN '; e-mail to ' || m.first_email || ' bounced' ELSE '' END
        WHEN m.n > 0 THEN 'E-mail to ' || m.first_email || ' bounced'
        ELSE 'Address and contact details in order' END AS reason,
      '' AS reason_without_amounts, NULL AS amount_overdue, NULL AS amount_open, NULL AS oldest_due_on
    FROM customers_customer c
    LEFT JOIN (
      SELECT customer_id, COUNT(*) AS n, MIN(street || ', ' || postal_code || ' ' || city) AS first_address
      FROM customers_address WHERE status = 'undeliverable'{only_fk}
      GROUP BY customer_id
    ) a ON a.customer_id = c.id
    LEFT JOIN (
      SELECT customer_id, COUNT(*) AS n, MIN(value) AS first_email
      FROM customers_identifier WHERE kind = 'email' AND bounced_at IS NOT NULL{only_fk}
      GROUP BY customer_id
    ) m ON m.customer_id = c.id
    WHERE c.merged_into_id IS NULL{only}"""  # noqa: S608 - our own SQL only; values are parameters


def _id_document(d: Dialect, only: str) -> str:
    label = "COALESCE(NULLIF(c.id_document_type, ''), 'ID document')"
    expires = d.date_text("c.id_document_expires_on")
    return f"""
    SELECT c.id AS customer_id, 'id_document' AS kind,
      CASE
        WHEN c.id_document_check = 'mismatch' THEN 'mismatch'
        WHEN c.id_document_expires_on IS NULL THEN 'missing'
        WHEN c.id_document_expires_on < {d.date_param("today")} THEN 'expired'
        WHEN c.id_document_expires_on <= {d.date_param("expiring_until")} THEN 'expiring'
        ELSE 'ok' END AS level,
      CASE
        WHEN c.id_document_check = 'mismatch' THEN {label} || ' did not match at the last check'
        WHEN c.id_document_expires_on IS NULL THEN 'No ID document on file'
        WHEN c.id_document_expires_on < {d.date_param("today")} THEN {label} || ' expired on ' || {expires}
        WHEN c.id_document_expires_on <= {d.date_param("expiring_until")} THEN {label} || ' expires on ' || {expires}
        ELSE {label} || ' valid until ' || {expires} END AS reason,
      '' AS reason_without_amounts, NULL AS amount_overdue, NULL AS amount_open, NULL AS oldest_due_on
    FROM customers_customer c
    WHERE c.merged_into_id IS NULL{only}"""  # noqa: S608 - our own SQL only; values are parameters


def flags_query(
    *, today: date, now, customer_ids: list[int] | None = None, id_range: tuple[int, int] | None = None
) -> tuple[str, dict]:
    """The SELECT of every flag of the given customers, or of those whose id lies in ``id_range``."""
    policy = FlagPolicy.current()
    d = Dialect(connection.vendor)
    params = {
        "today": connection.ops.adapt_datefield_value(today),
        "expiring_until": connection.ops.adapt_datefield_value(today + timedelta(days=policy.id_expiring_days)),
        "year_ago": connection.ops.adapt_datetimefield_value(now - timedelta(days=365)),
        "hold_days": policy.credit_hold_days_overdue,
        "hold_amount": policy.credit_hold_amount_overdue,
        "hold_reminders": policy.credit_hold_reminders,
        "watch_days": policy.credit_watch_days_overdue,
        "gold_spend": policy.loyalty_gold_spend,
        "silver_spend": policy.loyalty_silver_spend,
        "gold_years": policy.loyalty_gold_years,
        "silver_years": policy.loyalty_silver_years,
        "max_returns_percent": policy.loyalty_max_returns_percent,
    }
    only = _only("c.id", customer_ids, id_range, params)
    only_fk = _only("customer_id", customer_ids, id_range, params)
    parts = [_credit(d, only, only_fk), _loyalty(d, only, only_fk), _data_quality(only, only_fk), _id_document(d, only)]
    return " UNION ALL ".join(parts), params
