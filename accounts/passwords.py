"""What a password must be, as the validators in ``AUTH_PASSWORD_VALIDATORS`` say it."""

from django.contrib.auth.password_validation import MinimumLengthValidator, get_default_password_validators


def password_min_length() -> int:
    """The configured minimum length (Django's default validator: 8), for forms and the schema."""
    lengths = [v.min_length for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)]
    return max(lengths, default=1)


PASSWORD_MIN_LENGTH = password_min_length()
