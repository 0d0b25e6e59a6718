"""Scrapy project: one spider per news source listed in config/sources.yaml."""
