"""The portal's forms (Django forms: validation and CSRF come with them)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from checker import signing
from checker.errors import ZichaError
from checker.portal.models import Round, Unit

KEY_LIMIT = 16 * 1024


def _t(zh: str, en: str) -> str:
    return f"{zh} {en}"


class UnitForm(forms.ModelForm):
    """Register a unit (or change its name, parent or key). The key is read as zicha reads it (checker.signing):
    Ed25519 PEM or zicha's SM2 armour, from the .pub file `zicha keygen` wrote, uploaded or pasted."""

    key_file = forms.FileField(label=_t("公钥文件", "public key file (.pub)"), required=False)

    class Meta:
        model = Unit
        fields = ["code", "name", "parent", "public_key"]
        widgets = {"public_key": forms.Textarea(attrs={"rows": 4, "cols": 70})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_key"].required = False
        self.fields["public_key"].label = _t("或粘贴公钥", "or paste the public key")
        qs = Unit.objects.all()
        if self.instance.pk:  # a unit cannot sit under itself or its own descendants
            below, frontier = {self.instance.pk}, {self.instance.pk}
            while frontier:
                frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - below
                below |= frontier
            qs = qs.exclude(pk__in=below)
            self.fields["code"].disabled = True  # it names the unit's folders and is in its tokens' records
        self.fields["parent"].queryset = qs

    def clean(self):
        data = super().clean()
        upload = data.get("key_file")
        if upload is not None:
            if upload.size > KEY_LIMIT:
                raise forms.ValidationError(_t("公钥文件过大", "the key file is too large"))
            text = upload.read()
        else:
            text = (data.get("public_key") or "").encode("ascii", "replace")
        if not text.strip():
            if self.instance.pk and self.instance.public_key:
                return data  # unchanged
            raise forms.ValidationError(_t("请提供单位的签名公钥", "the unit's public signing key is needed"))
        try:
            key = signing.parse_public(text, "公钥 public key")
        except ZichaError as e:
            raise forms.ValidationError(str(e)) from None
        clash = Unit.objects.filter(key_fingerprint=key.fingerprint).exclude(pk=self.instance.pk).first()
        if clash:
            raise forms.ValidationError(_t(f"该公钥已登记给单位 {clash.code}：每个单位须有自己的密钥",
                                           "this key is registered to another unit: each unit needs its own"))
        data["public_key"] = text.decode("ascii", "replace").strip() + "\n"
        self.instance.algorithm = key.algorithm
        self.instance.key_fingerprint = key.fingerprint
        return data


class UploadForm(forms.Form):
    bundle = forms.FileField(label=_t("证据包", "evidence bundle (evidence-*.tar.gz)"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), label=_t("提交单位", "unit"), required=False)

    def __init__(self, *args, inspector: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if inspector:
            self.fields["unit"].required = True
        else:
            del self.fields["unit"]


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "organiser", "opens_at", "deadline"]
        widgets = {"opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("deadline") and data["deadline"] <= data["opens_at"]:
            raise forms.ValidationError(_t("截止时间须晚于开始时间", "the deadline must come after the opening"))
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label=_t("用途", "what it is for (e.g. GitLab CI)"), max_length=100)


class UnitAccountForm(UserCreationForm):
    """A sign-in for one unit's staff (Django's own user form: password rules included)."""
