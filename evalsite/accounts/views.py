"""Accounts: the lockout page, and the firm administrator's pages for his firm's and clients' users.

Access: every page goes through :func:`firm_of_admin` (403 unless the user is an
active firm administrator); a user outside the administrator's firm and its
client bureaus answers 404, as if it did not exist.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from evalsite.accounts import services
from evalsite.accounts.forms import ClientAddForm, UserCreateForm
from evalsite.accounts.models import Organization, User
from evalsite.accounts.queries import managed_organizations, managed_users

log = logging.getLogger(__name__)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes: the login page again, saying why the correct password is refused too."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_message": f"登录失败次数过多，该用户在本机的登录已锁定{minutes}分钟，请稍后再试；忘记密码可通过“忘记密码”重新设置。"}
    return render(request, "registration/login.html", context, status=429)


def firm_of_admin(request: HttpRequest) -> Organization:
    """The firm whose users ``request.user`` manages; 403 for anyone but an active firm administrator."""
    if not request.user.manages_firm_users:
        raise PermissionDenied("只有机构管理员可以管理用户。")
    return request.user.organization


def managed_user_or_404(request: HttpRequest, pk: int) -> User:
    user = managed_users(firm_of_admin(request)).filter(pk=pk).first()
    if user is None:
        raise Http404("用户不存在")
    return user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    firm = firm_of_admin(request)
    organizations = managed_organizations(firm)
    users_by_org: dict[int, list[User]] = {organization.pk: [] for organization in organizations}
    for user in managed_users(firm):
        users_by_org[user.organization_id].append(user)
    groups = [(organization, users_by_org[organization.pk]) for organization in organizations]
    return render(request, "accounts/user_list.html", {"firm": firm, "groups": groups, "client_form": ClientAddForm()})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    firm = firm_of_admin(request)
    form = UserCreateForm(request.POST or None, organizations=managed_organizations(firm))
    if request.method == "POST" and form.is_valid():
        new = form.new_user()
        try:
            user = services.create_user(new, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        except OSError as error:  # the user exists; the invitation did not go out
            log.warning("invitation mail to %s failed: %s", new.email, error)
            messages.warning(request, f"已创建用户“{new.username}”，但邀请邮件未能发出（{error}），请稍后在列表中重新发送。")
            return redirect("account_users")
        else:
            sent = f"，已向 {user.email} 发送邀请邮件" if new.password is None else ""
            messages.success(request, f"已创建用户“{user.username}”（{user.organization.name}）{sent}。")
            return redirect("account_users")
    return render(request, "accounts/user_form.html", {"form": form, "firm": firm})


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = managed_user_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(request.user, user, active)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"已{'启用' if active else '停用'}用户“{user.username}”。")
    return redirect("account_users")


@login_required
@require_POST
def user_send_password_mail(request: HttpRequest, pk: int) -> HttpResponse:
    user = managed_user_or_404(request, pk)
    try:
        services.send_password_mail(user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except OSError as error:
        messages.error(request, f"邮件未能发出：{error}")
    else:
        messages.success(request, f"已向 {user.email} 发送设置密码的邮件。")
    return redirect("account_users")


@login_required
@require_POST
def client_add(request: HttpRequest) -> HttpResponse:
    firm = firm_of_admin(request)
    form = ClientAddForm(request.POST)
    if form.is_valid():
        try:
            bureau = services.add_client(firm, form.cleaned_data["name"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"已添加委托单位“{bureau.name}”，可为其创建用户。")
    else:
        messages.error(request, "请填写委托单位名称（不超过100个字）。")
    return redirect("account_users")
