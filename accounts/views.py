from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from accounts import export, services, wallet
from accounts.closing import account_close
from accounts.dashboard import sections_for
from accounts.forms import AccountCloseForm, AccountForm, LoginForm, PasswordResetForm, SetPasswordForm, SignupForm
from accounts.models import User
from accounts.throttles import account_export_refusal, password_reset_refusal, signup_refusal
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("close_form", AccountCloseForm())
        context["export_link_hours"] = settings.ACCOUNT_EXPORT_LINK_HOURS
        return context


class AccountExportView(LoginRequiredMixin, View):
    """The account page's "Download your data": the JSON file at once, or, for a large export,
    an email with a link (``accounts.export``)."""

    def post(self, request):
        refusal = account_export_refusal(request)
        if refusal:
            messages.error(request, refusal)
            return redirect("account")
        user = request.user
        if export.export_is_large(user):
            export.export_send(user=user, base_url=request.build_absolute_uri("/"))
            messages.info(
                request,
                f"Your data is being prepared. We will email {user.email} a download link that works for "
                f"{settings.ACCOUNT_EXPORT_LINK_HOURS} hours.",
            )
            return redirect("account")
        response = HttpResponse(export.export_json(export.export_document(user)), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{export.export_filename(user)}"'
        return response


class AccountExportDownloadView(LoginRequiredMixin, View):
    """The emailed link of a large export: it works for its owner, logged in, until it expires."""

    def get(self, request, token):
        try:
            name = export.export_file_for_link(user=request.user, token=token)
        except DomainError as error:
            context = {"message": error.detail, "expired": isinstance(error, export.ExportLinkExpired)}
            return render(request, "accounts/export_link.html", context, status=error.status_code)
        return FileResponse(
            default_storage.open(name, "rb"),
            as_attachment=True,
            filename=export.export_filename(request.user),
            content_type="application/json",
        )


class AccountCloseView(LoginRequiredMixin, View):
    """Close your account, confirmed with the password (the form is also on the account page)."""

    template_name = "accounts/account_close.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AccountCloseForm()})

    def post(self, request):
        form = AccountCloseForm(request.POST)
        if form.is_valid():
            try:
                account_close(user=request.user, password=form.cleaned_data["password"])
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                logout(request)
                messages.info(request, "Your account is closed and your personal data erased. Goodbye!")
                return redirect("dashboard")
        return render(request, self.template_name, {"form": form}, status=400)


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
