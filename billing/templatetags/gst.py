"""Template filters for GST documents: state names with their codes, the name of the State tax,
and amounts in words in Indian numbering."""

from django import template

from billing.words import amount_in_words, document_money
from profiles.gst import state_label, state_tax_name

register = template.Library()

register.filter("state_label", state_label)
register.filter("state_tax_name", state_tax_name)
register.filter("amount_in_words", amount_in_words)
register.filter("document_money", document_money)
