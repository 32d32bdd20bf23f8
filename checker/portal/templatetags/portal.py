"""Template helpers: {% t "中文" "English" %} (Chinese first, like the reports' t(zh, en)), verdict labels."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from checker.portal import region

register = template.Library()


def _en() -> bool:
    return (get_language() or "").startswith("en")


@register.simple_tag
def t(zh: str, en: str) -> str:
    return en if _en() else zh


@register.filter
def lang(value) -> str:
    """A {zh:…, en:…} mapping in the page's language."""
    if isinstance(value, dict):
        return value.get("en" if _en() else "zh") or value.get("zh") or value.get("en") or ""
    return "" if value is None else str(value)


@register.filter
def cell_label(code: str) -> str:
    return region.label(code, "en" if _en() else "zh")


@register.filter
def status_label(status: str) -> str:
    return region.status_label(status, "en" if _en() else "zh")


@register.filter
def state_label(state: str) -> str:
    return region.state_label(state, "en" if _en() else "zh")


@register.filter
def get(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None
