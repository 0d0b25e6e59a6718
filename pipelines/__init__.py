"""Item pipelines (extract, dedup, language, translate, store) and storage backends."""
