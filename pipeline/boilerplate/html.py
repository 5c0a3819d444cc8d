"""HTML pages: trafilatura finds the article; its text becomes the document's blocks."""
from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from pipeline.document import Block, split_blocks


@dataclass
class Extraction:
    blocks: list[Block]
    title: str | None
    date: str | None
    url: str | None


def extract_html(html: str, url: str | None, favor_precision: bool) -> Extraction:
    """Main text of a page as line blocks, with title, date and canonical URL from its metadata."""
    result = trafilatura.bare_extraction(
        html,
        url=url,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=True,
    )
    if result is None:
        return Extraction([], None, None, url)
    return Extraction(
        blocks=split_blocks(result.text or ""),
        title=result.title or None,
        date=result.date or None,
        url=url or result.url or None,
    )
