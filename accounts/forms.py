from django import forms
from django.contrib.auth import forms as auth_forms
from django.template import loader

from accounts import services
from accounts.models import Role, User, canonical_email
from accounts.tasks import send_email
from anwariya.celery import enqueue_on_commit


class SignupForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        label="I am a",
        help_text="Vendors sell products and run campaigns; influencers work on campaigns.",
    )
    display_name = forms.CharField(max_length=150, label="Your name")
    business_name = forms.CharField(max_length=200, required=False, help_text="Required for vendors.")
    email = forms.EmailField(max_length=254)
    password1 = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The two passwords do not match.")
        return cleaned


class AccountForm(forms.ModelForm):
    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change your email address.",
    )

    class Meta:
        model = User
        fields = ["display_name", "business_name", "email"]
        labels = {"display_name": "Your name", "email": "Email"}


class LoginForm(auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Please enter a correct email and password.",
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, finding the account by its canonical address; the email goes out
    from a background task."""

    def get_users(self, email):
        users = User.objects.filter(email=canonical_email(email), is_active=True)
        return (user for user in users if user.has_usable_password())

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        enqueue_on_commit(send_email, subject=subject, body=body, to=[to_email], from_email=from_email)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The password chosen through a reset link, stored by the account service."""

    def save(self, commit=True):
        return services.user_set_password(user=self.user, password=self.cleaned_data["new_password1"])


class AccountCloseForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To confirm that it is you. This cannot be undone.",
    )
