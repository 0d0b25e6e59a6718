"""Language detection, called by the extraction worker (not a Scrapy stage).

- `detection`: the decision: script, detector, page and source weighed together.
- `guess`: a detector's answer and the interface every detector implements.
- `hybrid`: the primary detector backed by fastText.
- `lingua_backend`, `langdetect_backend`, `fasttext_backend`: the detectors.
- `scripts`: writing systems, and the languages a script alone settles.
- `chinese`: Simplified or Traditional Chinese.
- `codes`: language tags reduced to ISO 639-1.
"""
