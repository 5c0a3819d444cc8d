"""Web-scrape cleaning and deduplication: boilerplate, off-topic spillover, near-duplicates."""
from pipeline.api import boilerplate, dedup, read, segment
from pipeline.config import Config, load_config
from pipeline.document import Block, Document
from pipeline.runner import run

__all__ = ["Block", "Config", "Document", "boilerplate", "dedup", "load_config", "read", "run", "segment"]
