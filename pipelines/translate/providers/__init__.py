"""Translation providers, each behind one interface.

- `provider`: the `Translator` interface and its errors.
- `libretranslate`: LibreTranslate's HTTP API.
- `deepl_client`: DeepL through the official client.
- `deep_translator_providers`: Google, Microsoft and MyMemory through deep-translator.
"""
