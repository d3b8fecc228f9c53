"""The export and the erasure cover every kind of record that belongs to a customer: a model added
later that points at a customer (or at one of its records) fails here until it is given a rule."""

from django.apps import apps

from console.customers.models import Customer
from console.privacy.models import DataExport, ErasureRequest
from console.privacy.records import DELETE_ORDER, PARTS, Erasure

# The GDPR requests themselves: records about the requests, kept as their proof.
NOT_CUSTOMER_DATA = {DataExport, ErasureRequest}


def _belongs_to_a_customer(model, covered) -> bool:
    return any(
        field.is_relation and field.concrete and field.related_model in covered for field in model._meta.get_fields()
    )


def test_every_model_that_points_at_a_customer_has_a_part():
    covered = {part.model for part in PARTS}
    assert Customer in covered
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("console.")
        and model not in covered | NOT_CUSTOMER_DATA
        and _belongs_to_a_customer(model, covered)
    ]
    assert not missing, f"say what the export and erasure do with: {missing}"


def test_every_part_erasure_deletes_is_in_the_delete_order():
    deleted = {part.key for part in PARTS if part.erasure is Erasure.DELETE}
    assert deleted == set(DELETE_ORDER)
