"""Form helpers shared by every app's pages."""


def apply_domain_errors(form, error, field_map=None):
    """Show a service's ``DomainError`` on the form: per field where the form has it."""
    for field, messages in error.errors.items():
        field = (field_map or {}).get(field, field)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.errors:
        form.add_error(None, error.detail)
