"""Shared fixtures: small pages written for the tests, and the repo's paths."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

ARTICLE = [
    "Rail freight volumes rise as new corridor opens",
    "By Jane Doe",
    "March 3, 2021 - 261 views",
    "Freight volumes on the new northern rail corridor rose sharply in the first quarter, the operator said on Tuesday.",
    "The corridor links the inland container terminals with the coastal ports and cuts transit times for freight by two days.",
    "Operators expect rail freight volumes to keep rising as more container terminals connect to the corridor next year.",
    "Analysts said the corridor could take a large share of freight traffic from roads if tariffs stay low for rail operators.",
]
SPILLOVER = [
    "Latest",
    "Storm floods coastal villages as rivers burst banks",
    "Heavy rain caused rivers to burst their banks overnight, flooding dozens of coastal villages and forcing families from their homes.",
    "Emergency crews used boats to rescue residents while the weather service warned of more storms and rain this weekend.",
]
WRAPPED = [  # three paragraphs hard-wrapped at a fixed width
    "The council approved the new budget on Monday after a long",
    "debate about school funding, road repairs and the future of",
    "the city's libraries, which had faced closure for two years.",
    "Council members said the plan would raise spending on schools",
    "by five percent while keeping property taxes flat next year.",
    "The mayor welcomed the vote and thanked the staff for months",
    "of work on a budget that she called fair to every district.",
]
CHROME = [
    "Home | News | World | Business | Sport",
    "(adsbygoogle = window.adsbygoogle || []).push({});",
    "Share this article on Facebook",
    "Subscribe to our newsletter",
]


@pytest.fixture
def page_text() -> str:
    """A text dump: navigation, an article, an ad line, an appended unrelated story, a footer prompt."""
    return "\n".join(CHROME[:1] + ARTICLE + CHROME[1:3] + SPILLOVER + CHROME[3:]) + "\n"


@pytest.fixture
def raw_dir(tmp_path: Path, page_text: str) -> Path:
    """An input directory with one page of each kind and one unreadable file."""
    root = tmp_path / "raw"
    root.mkdir()
    (root / "a.txt").write_text(page_text, encoding="utf-8")
    (root / "b.html").write_text(html_page(ARTICLE[0], ARTICLE[3:]), encoding="utf-8")
    (root / "c.bin.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    return root


def html_page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"
    )


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray with 2 CPUs for a test module's Ray tests (or the one already running)."""
    ray = pytest.importorskip("ray")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield ray
    if started:
        ray.shutdown()
