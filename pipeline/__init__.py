"""Web-scrape cleaning and deduplication: boilerplate, off-topic spillover, near-duplicates."""
from pipeline.api import deduplicate, read, remove_boilerplate, remove_spillover
from pipeline.config import Config, load_config
from pipeline.document import Block, Document
from pipeline.runner import run

__all__ = ["Block", "Config", "Document", "deduplicate", "load_config", "read", "remove_boilerplate", "remove_spillover", "run"]
