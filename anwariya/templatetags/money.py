from django import template

from anwariya.money import format_money

register = template.Library()


@register.filter
def money(amount, currency=None):
    """``{{ bill.total|money:bill.currency }}`` → ₹1,234.50"""
    return format_money(amount, currency)
