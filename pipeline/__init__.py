"""Web-scrape cleaning and deduplication: boilerplate, off-topic spillover, near-duplicates."""
from pipeline.config import Config, load_config
from pipeline.document import Block, Document
from pipeline.runner import run

__all__ = ["Block", "Config", "Document", "load_config", "run"]
