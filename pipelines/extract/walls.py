"""Cookie walls and paywall teasers: short pages that stand where an article should be.

Told apart from other short pages so that the health report and the drop counts say
what happened (a site that started blocking us reads differently from a layout change).
"""

from __future__ import annotations

import re
from typing import Any

COOKIE_WORDS = re.compile(
    r"cookie|consent|gdpr|rgpd|datenschutz|einwilligung|confidentialité|privacidad"
    r"|куки|файлы cookie|ملفات تعريف الارتباط|クッキー|쿠키",
    re.I,
)
_PAYWALL = re.compile(
    r"subscribe|subscription|subscribers only|to continue reading|sign in to read"
    r"|abonn|réservé aux abonnés|suscr[íi]b|assinante|assine|abonnement|weiterlesen"
    r"|подпис|اشترك|للمشتركين|購読|会員限定|订阅|訂閱|구독",
    re.I,
)


def paywalled(objects: list[dict[str, Any]]) -> bool:
    """The page says so itself: schema.org `isAccessibleForFree: false`."""
    for obj in objects:
        value = obj.get("isAccessibleForFree")
        if value is False or (isinstance(value, str) and value.strip().lower() == "false"):
            return True
    return False


def wall_kind(text: str, declared_paywall: bool) -> str | None:
    """'paywall', 'cookie_wall' or None, for a page whose text is too short."""
    if declared_paywall or _PAYWALL.search(text):
        return "paywall"
    if COOKIE_WORDS.search(text):
        return "cookie_wall"
    return None
