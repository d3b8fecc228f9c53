from django.contrib import admin

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.customers.models import Address, Customer, Identifier
from console.customers.services import customer_restrict


class IdentifierInline(ReadOnlyAdmin, admin.TabularInline):
    # Identifiers are stored normalised by customers.services; the admin only shows them.
    model = Identifier
    extra = 0


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    """The administrators' list shows restricted customers too: it is where a customer is
    restricted to a group, or no longer (docs/privacy.md). That change goes through
    ``customer_restrict``, which audits it and makes open consoles and inboxes follow."""

    list_display = ["customer_number", "name", "language", "customer_since", "id_document_expires_on", "restricted_to"]
    search_fields = ["customer_number", "name", "identifiers__value"]
    list_filter = ["language", "marketing_consent", "restricted_to"]
    readonly_fields = ["last_seq", "created_at"]
    inlines = [IdentifierInline, AddressInline]

    def save_model(self, request, obj, form, change):
        wanted = obj.restricted_to
        if "restricted_to" in form.changed_data:
            # Saved as it was; the restriction itself is changed (and audited) by its service.
            obj.restricted_to_id = form.initial.get("restricted_to")
        super().save_model(request, obj, form, change)
        if "restricted_to" in form.changed_data:
            customer_restrict(customer_id=obj.pk, group=wanted, user=request.user, request=request)
            obj.restricted_to = wanted


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["customer", "street", "postal_code", "city", "status", "status_changed_at"]
    list_filter = ["status"]
    search_fields = ["customer__customer_number", "street", "postal_code"]
    raw_id_fields = ["customer"]
