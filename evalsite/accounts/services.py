"""Every write about people: a firm administrator creates, invites and deactivates users."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization, User
from evalsite.lib.text_limits import too_long

INVITE_TEMPLATES = ("registration/invite_subject.txt", "registration/invite_email.html")
SITE_NAME = "绩效评价工作台"
RESET_TEMPLATES = ("registration/password_reset_subject.txt", "registration/password_reset_email.html")


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    email: str
    organization: Organization
    is_firm_admin: bool = False
    password: str | None = None  # None: the user sets it from the invitation mail


def create_user(new: NewUser, *, request: HttpRequest) -> User:
    """A user of the administrator's firm or of one of its client bureaus, with a password or an invitation."""
    if new.is_firm_admin and new.organization.kind != OrganizationKind.FIRM:
        raise ValidationError("只有评价机构的用户可以是机构管理员。")
    with transaction.atomic():
        user = User(
            username=new.username,
            full_name=new.full_name,
            email=new.email,
            organization=new.organization,
            is_firm_admin=new.is_firm_admin,
        )
        if new.password is None:
            user.set_unusable_password()
        else:
            user.set_password(new.password)
        user.save()
    if new.password is None:
        send_password_mail(user, request=request, templates=INVITE_TEMPLATES)
    return user


def send_password_mail(user: User, *, request: HttpRequest, templates: tuple[str, str] = RESET_TEMPLATES) -> None:
    """A mail with a one-time link to set the password: the context of Django's password reset mail."""
    if not user.email:
        raise ValidationError(f"用户“{user.username}”没有填写电子邮箱，无法发送邮件。")
    context = {
        "email": user.email,
        "domain": request.get_host(),
        "site_name": SITE_NAME,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    subject_template, body_template = templates
    subject = "".join(render_to_string(subject_template, context).splitlines())
    send_mail(subject, render_to_string(body_template, context), None, [user.email])


def set_active(admin: User, user: User, active: bool) -> None:
    if user.pk == admin.pk and not active:
        raise ValidationError("不能停用自己的账号。")
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active


def add_client(firm: Organization, name: str) -> Organization:
    """Add a bureau (created if new) to the firm's clients."""
    name = name.strip()
    if problem := too_long(name, Organization._meta.get_field("name").max_length):
        raise ValidationError(f"委托单位名称{problem}。")
    existing = Organization.objects.filter(name=name).first()
    if existing is not None and existing.kind != OrganizationKind.BUREAU:
        raise ValidationError(f"“{name}”是评价机构，不能作为委托单位。")
    bureau = existing or Organization.objects.create(name=name, kind=OrganizationKind.BUREAU)
    firm.clients.add(bureau)
    return bureau
