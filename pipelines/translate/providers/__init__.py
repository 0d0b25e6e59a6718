"""Translation providers behind one interface (`provider`): `libretranslate` (our own
client), `deepl_client` (the official client), `deep_translator_providers` (Google,
Microsoft, MyMemory through deep-translator, with our timeouts)."""
