from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import (
    AccountSettingsForm,
    LoginForm,
    PasswordResetRequestForm,
    SignupForm,
    WorkspaceForm,
)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("workspace")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_signup(**form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to vrtual.ly, {user.get_short_name()}!")
        return redirect("workspace")
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def login_locked_out(request, original_response=None, credentials=None):
    """What a throttled login sees (called by django-axes instead of the login view)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request, data=request.POST or None)
    form.is_bound = False  # Show the form clean, with only the lockout message.
    message = (
        "Too many failed login attempts. For your security, logging in is paused: "
        f"try again in {minutes} minutes, or reset your password."
    )
    return render(
        request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account_settings")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your account settings are saved.")
        return redirect("account_settings")
    return render(request, "accounts/account_settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def workspace_settings(request):
    form = WorkspaceForm(request.POST or None, instance=request.user.workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your workspace settings are saved.")
        return redirect("workspace_settings")
    return render(request, "accounts/workspace_settings.html", {"form": form})
