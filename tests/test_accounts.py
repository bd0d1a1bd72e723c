"""Accounts: login lockout, password change and reset, and the firm administrator's user pages."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evalsite.accounts.models import Organization, User
from tests.factories import BureauFactory, EvaluationFactory, FirmFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456"
NEW_PASSWORD = "Hs7-correct-horse-battery"
LOCKED = "登录失败次数过多"


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- login lockout (django-axes) ---------------------------------------------------------------


def test_six_wrong_passwords_lock_the_user_out_even_with_the_right_one(client):
    UserFactory(username="wang")
    for _ in range(6):
        response = log_in(client, "wang", "wrong")
    assert LOCKED in response.content.decode()
    response = log_in(client, "wang", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "锁定30分钟" in page
    assert 'name="username"' in page  # the login page again, not a bare error
    assert not signed_in(client)


def test_four_wrong_passwords_do_not_lock_and_success_clears_them(client):
    UserFactory(username="wang")
    for _ in range(4):
        assert "用户名或密码不正确" in log_in(client, "wang", "wrong").content.decode()
    assert log_in(client, "wang", PASSWORD).status_code == 302
    assert signed_in(client)
    assert AccessAttempt.objects.filter(username="wang").count() == 0


def test_the_lockout_ends_after_the_cool_off(client):
    UserFactory(username="wang")
    for _ in range(5):
        log_in(client, "wang", "wrong")
    assert log_in(client, "wang", PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username="wang")
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - timedelta(minutes=31))
    assert log_in(client, "wang", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_lockout_holds_one_user_name_from_one_address(client):
    UserFactory(username="wang")
    UserFactory(username="li")
    for _ in range(5):
        log_in(client, "wang", "wrong", address="10.0.0.1")
    assert log_in(client, "wang", PASSWORD, address="10.0.0.1").status_code == 429
    assert log_in(client, "li", PASSWORD, address="10.0.0.1").status_code == 302
    client.logout()
    assert log_in(client, "wang", PASSWORD, address="10.0.0.2").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="wang")
    for _ in range(5):
        client.post(reverse("login"), {"username": "wang", "password": "wrong"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    assert AccessAttempt.objects.get(username="wang").ip_address == "203.0.113.7"
    # the client wrote the left part itself: changing it does not escape the lockout
    response = client.post(reverse("login"), {"username": "wang", "password": PASSWORD},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    assert response.status_code == 429


# --- password change and reset -----------------------------------------------------------------


def test_every_user_changes_his_own_password(client):
    user = UserFactory(username="wang", organization=BureauFactory())
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in page and "旧密码" in page
    refused = client.post(reverse("password_change"), {"old_password": "wrong", "new_password1": NEW_PASSWORD,
                                                       "new_password2": NEW_PASSWORD})
    assert "旧密码不正确" in refused.content.decode()
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                        "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert "密码已修改" in client.get(response.url).content.decode()  # still signed in
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_by_mail_sets_a_new_password(client):
    user = UserFactory(username="wang", email="wang@example.com")
    response = client.post(reverse("password_reset"), {"email": "wang@example.com"})
    assert response.status_code == 302
    assert "邮件已经发出" in client.get(response.url).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.to) == ("绩效评价工作台：重新设置密码", ["wang@example.com"])
    assert "“wang”" in message.body
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)

    form_url = client.get(link).url  # Django moves the token into the session
    assert "设置新密码" in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert log_in(client, "wang", NEW_PASSWORD).status_code == 302
    client.logout()
    assert "链接已失效" in client.get(link, follow=True).content.decode()  # used once


def test_password_reset_for_an_unknown_mail_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "邮件已经发出" in response.content.decode()
    assert mail.outbox == []


# --- the firm administrator ------------------------------------------------------------------------


@pytest.fixture
def firms():
    """Firm A with an administrator, a member and a client bureau (through an evaluation); firm B likewise."""
    def firm(tag):
        evaluation = EvaluationFactory(firm=FirmFactory(name=f"{tag}评价机构"), bureau=BureauFactory(name=f"{tag}县财政局"))
        admin = UserFactory(username=f"{tag}_admin", organization=evaluation.firm, is_firm_admin=True)
        member = UserFactory(username=f"{tag}_member", organization=evaluation.firm)
        bureau_user = UserFactory(username=f"{tag}_bureau", organization=evaluation.bureau)
        return {"firm": evaluation.firm, "bureau": evaluation.bureau, "admin": admin, "member": member,
                "bureau_user": bureau_user}

    return {"a": firm("a"), "b": firm("b")}


def test_the_administrator_lists_his_firm_and_its_clients_users_only(client, firms, django_assert_max_num_queries):
    added = BureauFactory(name="a加入的财政局")
    firms["a"]["firm"].clients.add(added)
    UserFactory(username="a_added_bureau", organization=added)
    client.force_login(firms["a"]["admin"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("account_users")).content.decode()
    for username in ["a_admin", "a_member", "a_bureau", "a_added_bureau"]:
        assert f'data-username="{username}"' in page
    for username in ["b_admin", "b_member", "b_bureau"]:
        assert f'data-username="{username}"' not in page
    assert page.index("a评价机构") < page.index("a加入的财政局") < page.index("a县财政局")


def test_a_member_who_is_not_administrator_is_refused(client, firms):
    client.force_login(firms["a"]["member"])
    assert client.get(reverse("account_users")).status_code == 403
    assert client.post(reverse("account_user_active", args=[firms["a"]["bureau_user"].pk]), {"active": "0"}).status_code == 403
    assert User.objects.get(username="a_bureau").is_active


def test_an_administrator_of_another_firm_gets_404_for_these_users(client, firms):
    client.force_login(firms["b"]["admin"])
    for user in [firms["a"]["member"], firms["a"]["bureau_user"]]:
        assert client.post(reverse("account_user_active", args=[user.pk]), {"active": "0"}).status_code == 404
        assert client.post(reverse("account_user_password_mail", args=[user.pk])).status_code == 404
        assert User.objects.get(pk=user.pk).is_active
    assert mail.outbox == []


def test_a_bureau_user_flagged_administrator_manages_nothing(client, firms):
    bureau_user = firms["a"]["bureau_user"]
    User.objects.filter(pk=bureau_user.pk).update(is_firm_admin=True)
    client.force_login(User.objects.get(pk=bureau_user.pk))
    assert client.get(reverse("account_users")).status_code == 403


def test_the_administrator_creates_a_bureau_user_with_an_initial_password(client, firms):
    client.force_login(firms["a"]["admin"])
    page = client.get(reverse("account_user_create")).content.decode()
    assert "a县财政局" in page and "b县财政局" not in page
    response = client.post(reverse("account_user_create"), {
        "username": "a_new", "full_name": "新用户", "email": "", "organization": firms["a"]["bureau"].pk,
        "password_mode": "password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })
    assert response.status_code == 302
    user = User.objects.get(username="a_new")
    assert (user.organization, user.is_firm_admin, user.is_bureau_user) == (firms["a"]["bureau"], False, True)
    assert log_in(client, "a_new", NEW_PASSWORD).status_code == 302


def test_the_administrator_invites_a_colleague_who_sets_his_password_from_the_mail(client, firms):
    client.force_login(firms["a"]["admin"])
    response = client.post(reverse("account_user_create"), {
        "username": "a_invited", "full_name": "受邀者", "email": "invited@example.com",
        "organization": firms["a"]["firm"].pk, "is_firm_admin": "on", "password_mode": "invite",
    })
    assert response.status_code == 302
    user = User.objects.get(username="a_invited")
    assert (user.is_firm_admin, user.has_usable_password()) == (True, False)
    assert mail.outbox[0].subject == "绩效评价工作台：您的账号已开通"
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert log_in(client, "a_invited", NEW_PASSWORD).status_code == 302


def test_user_creation_refuses_another_firms_bureau_and_bad_choices(client, firms):
    client.force_login(firms["a"]["admin"])
    base = {"username": "a_x", "full_name": "", "email": "", "password_mode": "password",
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    page = client.post(reverse("account_user_create"), {**base, "organization": firms["b"]["bureau"].pk}).content.decode()
    assert "选择一个有效的选项" in page
    page = client.post(reverse("account_user_create"), {**base, "organization": firms["a"]["bureau"].pk,
                                                        "is_firm_admin": "on"}).content.decode()
    assert "只有评价机构的用户可以是机构管理员" in page
    page = client.post(reverse("account_user_create"), {**base, "organization": firms["a"]["firm"].pk,
                                                        "password_mode": "invite"}).content.decode()
    assert "发送邀请邮件需要填写电子邮箱" in page
    page = client.post(reverse("account_user_create"), {**base, "organization": firms["a"]["firm"].pk,
                                                        "password1": "12345678", "password2": "12345678"}).content.decode()
    assert "密码" in page and "常见" in page
    page = client.post(reverse("account_user_create"), {**base, "username": "b_member",
                                                        "organization": firms["a"]["firm"].pk}).content.decode()
    assert "已存在" in page
    assert not User.objects.filter(username="a_x").exists()


def test_the_administrator_deactivates_and_reactivates_but_not_himself(client, firms):
    admin, member = firms["a"]["admin"], firms["a"]["member"]
    client.force_login(admin)
    client.post(reverse("account_user_active", args=[member.pk]), {"active": "0"})
    assert not User.objects.get(pk=member.pk).is_active
    assert log_in(client.__class__(), "a_member", PASSWORD).status_code == 200  # refused
    client.post(reverse("account_user_active", args=[member.pk]), {"active": "1"})
    assert User.objects.get(pk=member.pk).is_active
    response = client.post(reverse("account_user_active", args=[admin.pk]), {"active": "0"}, follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active


def test_the_administrator_adds_a_client_bureau_and_cannot_add_a_firm(client, firms):
    client.force_login(firms["a"]["admin"])
    client.post(reverse("account_client_add"), {"name": "新客户县财政局"})
    bureau = Organization.objects.get(name="新客户县财政局")
    assert list(firms["a"]["firm"].clients.all()) == [bureau]
    assert f'data-testid="org-{bureau.pk}"' in client.get(reverse("account_users")).content.decode()
    response = client.post(reverse("account_client_add"), {"name": "b评价机构"}, follow=True)
    assert "是评价机构，不能作为委托单位" in response.content.decode()
    assert list(firms["a"]["firm"].clients.all()) == [bureau]


def test_the_administrator_sends_a_password_mail_to_a_client_user(client, firms):
    bureau_user = firms["a"]["bureau_user"]
    client.force_login(firms["a"]["admin"])
    response = client.post(reverse("account_user_password_mail", args=[bureau_user.pk]), follow=True)
    assert "没有填写电子邮箱" in response.content.decode()
    User.objects.filter(pk=bureau_user.pk).update(email="bureau@example.com")
    client.post(reverse("account_user_password_mail", args=[bureau_user.pk]))
    assert [m.to for m in mail.outbox] == [["bureau@example.com"]]


def test_a_session_ends_after_a_working_day_idle_and_at_browser_close(client, settings):
    assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 10 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    UserFactory(username="wang")
    log_in(client, "wang", PASSWORD)
    session = client.session
    age = session.get_expiry_age()
    assert age == settings.SESSION_COOKIE_AGE
    stored = Session.objects.get(session_key=session.session_key)
    # a request after the refresh interval slides the expiry forward
    Session.objects.filter(pk=stored.pk).update(expire_date=timezone.now() + timedelta(hours=1))
    data = stored.get_decoded()
    data["_seen"] = 0
    Session.objects.filter(pk=stored.pk).update(session_data=Session.objects.encode(data))
    assert client.get(reverse("dashboard")).status_code == 200
    refreshed = Session.objects.get(pk=stored.pk).expire_date
    assert refreshed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # an idle session past its expiry is gone
    Session.objects.filter(pk=stored.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("dashboard")).status_code == 302
