from django.contrib import admin

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.commerce.models import Invoice, Order, OrderLine, Payment, Return, ReturnLine, WishList, WishListItem


class OrderLineInline(ReadOnlyAdmin, admin.TabularInline):
    model = OrderLine
    extra = 0


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["order_number", "customer", "status", "total", "currency", "placed_at"]
    list_filter = ["status"]
    search_fields = ["order_number", "customer__customer_number"]
    raw_id_fields = ["customer"]
    inlines = [OrderLineInline]


class PaymentInline(ReadOnlyAdmin, admin.TabularInline):
    model = Payment
    extra = 0


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["invoice_number", "customer", "amount", "paid_amount", "issued_on", "due_on"]
    search_fields = ["invoice_number", "customer__customer_number"]
    raw_id_fields = ["customer", "order"]
    inlines = [PaymentInline]


class ReturnLineInline(ReadOnlyAdmin, admin.TabularInline):
    model = ReturnLine
    extra = 0
    raw_id_fields = ["order_line"]


@admin.register(Return)
class ReturnAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["return_number", "customer", "order", "reason", "status", "opened_at"]
    list_filter = ["status", "reason"]
    search_fields = ["return_number", "customer__customer_number", "order__order_number"]
    raw_id_fields = ["customer", "order", "opened_by"]
    inlines = [ReturnLineInline]


class WishListItemInline(ReadOnlyAdmin, admin.TabularInline):
    model = WishListItem
    extra = 0


@admin.register(WishList)
class WishListAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["customer", "updated_at"]
    raw_id_fields = ["customer"]
    inlines = [WishListItemInline]
