from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from accounts import services, wallet
from accounts.dashboard import sections_for
from accounts.forms import AccountForm, LoginForm, PasswordResetForm, SetPasswordForm, SignupForm
from accounts.models import User
from accounts.throttles import password_reset_refusal, signup_refusal
from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors


def home(request):
    if not request.user.is_authenticated:
        return render(request, "accounts/landing.html")
    return render(request, "accounts/dashboard.html", {"sections": sections_for(request.user)})


class SignupView(FormView):
    template_name = "accounts/signup.html"
    form_class = SignupForm
    success_url = reverse_lazy("dashboard")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("dashboard")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"role": self.request.GET.get("role", "")}

    def post(self, request, *args, **kwargs):
        # Every attempt counts, as on the API: "this address has an account" is worth guessing at.
        refusal = signup_refusal(request)
        if refusal:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.user_create(
                email=data["email"],
                password=data["password1"],
                role=data["role"],
                display_name=data["display_name"],
                business_name=data["business_name"],
            )
        except DomainError as error:
            apply_domain_errors(form, error, field_map={"password": "password1"})
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, f"Welcome to Anwariya, {user.display_name}!")
        return super().form_valid(form)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are logged out. See you soon!")
        return response


class AccountView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/account.html"
    form_class = AccountForm
    success_url = reverse_lazy("account")

    def get_object(self, queryset=None):
        # A copy: form validation writes the typed values onto its instance, and the service
        # must compare them with the stored ones.
        return User.objects.get(pk=self.request.user.pk)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.request.user.is_vendor:
            del form.fields["business_name"]
        return form

    def form_valid(self, form):
        changes = {field: form.cleaned_data[field] for field in form.changed_data if field != "current_password"}
        try:
            services.user_update(
                user=self.request.user, current_password=form.cleaned_data["current_password"], **changes
            )
        except DomainError as error:
            apply_domain_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your account details were saved.")
        return redirect(self.success_url)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        # The service also revokes the user's JWT refresh tokens.
        services.user_change_password(
            user=self.request.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, "Your password was changed.")
        return redirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        refusal = password_reset_refusal(self.request, form.cleaned_data["email"])
        if refusal:
            form.add_error("email", refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(TemplateView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    form_class = SetPasswordForm  # the service signs out other sessions and ends a login lockout
    # The link proves the owner: it logs them in whatever the lockout counters say.
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"


class PasswordResetCompleteView(TemplateView):
    template_name = "accounts/password_reset_complete.html"


class WalletView(LoginRequiredMixin, View):
    """Your token balance, what things cost, and every change of the balance."""

    page_size = 25

    def get(self, request):
        transactions = Paginator(wallet.wallet_transactions(request.user), self.page_size)
        context = {
            "wallet": wallet.wallet_for_user(request.user),
            "prices": wallet.wallet_prices(),
            "page": transactions.get_page(request.GET.get("page")),
        }
        return render(request, "accounts/wallet.html", context)
