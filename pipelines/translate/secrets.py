"""Secrets out of provider error text: a server may echo the key it was sent."""

from __future__ import annotations

import re

from scrapy.settings import BaseSettings

# Settings whose values are secrets: API keys, tokens, passwords.
_SECRET_SETTING = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)$")
# Shorter values are not worth hiding (and would blank out ordinary words).
_MIN_SECRET = 4


class Redactor:
    def __init__(self, secrets: list[str]):
        self.secrets = sorted({s for s in secrets if len(s) >= _MIN_SECRET}, key=len, reverse=True)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Redactor:
        return cls(
            [
                str(value)
                for name, value in settings.items()
                if isinstance(name, str) and _SECRET_SETTING.search(name) and value
            ]
        )

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text
