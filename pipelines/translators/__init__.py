"""Translation providers behind one interface, and the chain that tries them in order."""

from pipelines.translators.base import TransientError, TranslationError, Translator
from pipelines.translators.chain import TranslatorChain, build_chain

__all__ = ["TranslationError", "TransientError", "Translator", "TranslatorChain", "build_chain"]
