"""The audit trail page's filters: who, which customer, which action, which days (Amsterdam)."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.http import urlencode

from console.accounts.models import AuditEvent
from console.accounts.selectors import display_name
from console.dates import DATE_WINDOW_TEXT, day_in_window
from console.privacy.audit_selectors import AuditFilter, Before, audit_customer_find

FILTERS = ("user", "customer", "action", "date_from", "date_to")


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = display_name(user)
        label = name if name == user.username else f"{name} ({user.username})"
        return label if user.is_active else f"{label}, deactivated"


class _Day(forms.DateField):
    default_error_messages = {"invalid": "Enter a day as YYYY-MM-DD, e.g. 2026-11-30."}

    def validate(self, value):
        super().validate(value)
        if value and not day_in_window(value):
            raise forms.ValidationError(f"Choose a day {DATE_WINDOW_TEXT}.", code="window")


class AuditFilters(forms.Form):
    user = _UserChoice(queryset=get_user_model().objects.order_by("username"), required=False, empty_label="Anyone")
    customer = forms.CharField(required=False, max_length=40, strip=True)
    action = forms.ChoiceField(choices=[("", "Any action"), *AuditEvent.Action.choices], required=False)
    date_from = _Day(required=False, label="From")
    date_to = _Day(required=False, label="To")
    # Where the page before ended (the keyset: its last row's time in microseconds, and id).
    before = forms.CharField(required=False, max_length=40)

    def clean_customer(self):
        text = self.cleaned_data["customer"]
        if not text:
            return None
        customer = audit_customer_find(text)
        if customer is None:
            raise forms.ValidationError(f"No customer has the number or id “{text}”.")
        return customer

    def clean_before(self):
        text = self.cleaned_data["before"]
        if not text:
            return None
        before = Before.read(text)
        if before is None:
            raise forms.ValidationError("This page link is broken: start again from the newest rows.")
        return before

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The period runs backwards: choose a day on or after the first.")
        return cleaned

    def audit_filter(self) -> AuditFilter:
        """The valid filters as the selectors take them (call after is_valid())."""
        data = self.cleaned_data
        return AuditFilter(
            actor=data["user"],
            customer=data["customer"],
            action=data["action"],
            start=_midnight(data["date_from"]) if data["date_from"] else None,
            end=_midnight(data["date_to"] + timedelta(days=1)) if data["date_to"] else None,
        )

    def described(self) -> str:
        """The filters in words, for the audit row that viewing or exporting leaves."""
        data = self.cleaned_data
        parts = [
            f"user={data['user'].username}" if data["user"] else "",
            f"customer={data['customer'].customer_number}" if data["customer"] else "",
            f"action={data['action']}" if data["action"] else "",
            f"from={data['date_from']}" if data["date_from"] else "",
            f"to={data['date_to']}" if data["date_to"] else "",
            "older rows" if data["before"] else "",
        ]
        return " ".join(p for p in parts if p) or "no filters"

    def query(self, **changes) -> str:
        """The filters as given, as a query string (for the export link and the older rows)."""
        values = {name: self.data.get(name, "") for name in FILTERS} | changes
        return urlencode({k: v for k, v in values.items() if v})


def _midnight(day: date) -> datetime:
    # The start of the day in Amsterdam (the console's time zone): midnight exists every day there.
    return timezone.make_aware(datetime.combine(day, time.min))
