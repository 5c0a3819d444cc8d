"""Boilerplate stage: strip site chrome from HTML (trafilatura) and text dumps (line classifier)."""
from __future__ import annotations

from pipeline.boilerplate.html import extract_html
from pipeline.boilerplate.lines import classify_lines
from pipeline.config import BoilerplateConfig
from pipeline.document import Document
from pipeline.stage import Stage


class BoilerplateStage(Stage):
    name = "boilerplate"

    def __init__(self, config: BoilerplateConfig, templates: frozenset[int] = frozenset()) -> None:
        super().__init__()
        self.config = config
        self.templates = templates  # hashes of lines recurring across the run's pages

    def params(self) -> dict:
        return {"boilerplate": vars(self.config) | {"trafilatura": _trafilatura_version()}}

    def process(self, doc: Document) -> None:
        extracted = doc.html is not None
        if extracted:
            extraction = extract_html(doc.html, doc.url, self.config)
            doc.blocks, doc.html = extraction.blocks, None
            doc.input_chars = doc.block_chars()
            doc.title = doc.title or extraction.title
            doc.date = doc.date or extraction.date
            doc.url = extraction.url
            extracted = extraction.extracted
        classify_lines(doc.blocks, self.config, extracted, self.templates)


def _trafilatura_version() -> str:
    from importlib.metadata import version

    return version("trafilatura")
