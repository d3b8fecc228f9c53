from django.contrib import admin

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.customers.models import Address, Customer, Identifier


class IdentifierInline(ReadOnlyAdmin, admin.TabularInline):
    # Identifiers are stored normalised by customers.services; the admin only shows them.
    model = Identifier
    extra = 0


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["customer_number", "name", "language", "customer_since", "id_document_expires_on"]
    search_fields = ["customer_number", "name", "identifiers__value"]
    list_filter = ["language", "marketing_consent"]
    readonly_fields = ["last_seq", "created_at"]
    inlines = [IdentifierInline, AddressInline]


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["customer", "street", "postal_code", "city", "status", "status_changed_at"]
    list_filter = ["status"]
    search_fields = ["customer__customer_number", "street", "postal_code"]
    raw_id_fields = ["customer"]
