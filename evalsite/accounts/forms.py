"""Forms for the firm administrator's user pages; they convert, the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization, User
from evalsite.accounts.services import NewUser

PASSWORD_NOW = "password"
PASSWORD_BY_MAIL = "invite"


class UserCreateForm(forms.ModelForm):
    organization = forms.ModelChoiceField(label="所属机构", queryset=Organization.objects.none(), empty_label=None)
    password_mode = forms.ChoiceField(
        label="初始密码",
        choices=[(PASSWORD_BY_MAIL, "发送邀请邮件，由用户自己设置密码"), (PASSWORD_NOW, "现在设置初始密码")],
        initial=PASSWORD_BY_MAIL,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(label="初始密码", required=False, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="再次输入初始密码", required=False, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "organization", "is_firm_admin"]
        labels = {"email": "电子邮箱"}
        help_texts = {"username": "登录用的用户名：字母、数字和 @/./+/-/_，不超过150个字符。"}

    def __init__(self, *args, organizations: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
        self.fields["organization"].initial = organizations[0].pk

    def clean(self):
        data = super().clean()
        organization = data.get("organization")
        if data.get("is_firm_admin") and organization is not None and organization.kind != OrganizationKind.FIRM:
            self.add_error("is_firm_admin", "只有评价机构的用户可以是机构管理员。")
        if data.get("password_mode") == PASSWORD_BY_MAIL:
            if not data.get("email"):
                self.add_error("email", "发送邀请邮件需要填写电子邮箱。")
        else:
            first, second = data.get("password1"), data.get("password2")
            if not first:
                self.add_error("password1", "请填写初始密码。")
            elif first != second:
                self.add_error("password2", "两次输入的密码不一致。")
            else:
                probe = User(username=data.get("username") or "", full_name=data.get("full_name") or "", email=data.get("email") or "")
                try:
                    password_validation.validate_password(first, probe)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return data

    def new_user(self) -> NewUser:
        data = self.cleaned_data
        return NewUser(
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            organization=data["organization"],
            is_firm_admin=data["is_firm_admin"],
            password=data["password1"] if data["password_mode"] == PASSWORD_NOW else None,
        )


class ClientAddForm(forms.Form):
    name = forms.CharField(label="委托单位名称", max_length=100, help_text="如“某某县财政局”；没有时新建。")
