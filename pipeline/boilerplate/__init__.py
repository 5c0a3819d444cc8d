"""Boilerplate stage: strip site chrome from HTML (trafilatura and the HTML line model) and text dumps (the text line model)."""
from __future__ import annotations

from functools import lru_cache

from pipeline.boilerplate.dumps import classify_text
from pipeline.boilerplate.html import extract_html
from pipeline.boilerplate.html_model import load_model as load_html_model
from pipeline.boilerplate.lines import classify_lines
from pipeline.boilerplate.text_model import load_model as load_text_model
from pipeline.config import BoilerplateConfig
from pipeline.document import HTML, Document, split_blocks
from pipeline.language import detect
from pipeline.language import record as record_language
from pipeline.stage import Stage


class BoilerplateStage(Stage):
    name = "boilerplate"

    def __init__(self, config: BoilerplateConfig, templates: frozenset[int] = frozenset()) -> None:
        self.config = config
        self.templates = templates  # hashes of lines recurring across the run's pages
        # Load the line models now: a bad model file is one clear error before any work, not one per page.
        if config.text_model:
            load_text_model(config.text_model_file or None)
        if config.html_model:
            load_html_model(config.html_model_file or None)

    def warm_up(self) -> None:
        _warm_up_libraries()

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
            doc.page_type = extraction.page_type
            extracted = extraction.extracted
            language = extraction.language
        else:
            language = detect([b.text for b in doc.blocks])
        record_language(doc, language)
        if extracted:
            classify_lines(doc.blocks, self.config, True, self.templates)
        else:
            classify_text(doc.blocks, self.config, self.templates, language.stopwords)


@lru_cache(maxsize=1)
def _warm_up_libraries() -> None:
    """One page of each kind through the stage, once per process: trafilatura, htmldate, the language model and
    the stoplists load their data on first use."""
    text = "Home | News\nA short page of text, written to warm the stage up before the first real document.\nShare this"
    html = f"<html><head><title>Warm-up</title></head><body><nav>Home</nav><article><h1>Warm-up</h1><p>{text}</p></article></body></html>"
    stage = BoilerplateStage(BoilerplateConfig())
    stage.process(Document(id="warm-up", source="warm-up.html", content_type=HTML, html=html))
    stage.process(Document(id="warm-up", source="warm-up.txt", blocks=split_blocks(text)))


def _trafilatura_version() -> str:
    from importlib.metadata import version

    return version("trafilatura")
