from pipeline.boilerplate.lines import classify_lines
from pipeline.config import BoilerplateConfig
from pipeline.document import Block

BODY = [
    "The city council approved the new budget on Monday after a long debate about school funding and road repairs.",
    "Council members said the plan would raise spending on schools by five percent while keeping property taxes flat.",
]


def _classify(lines):
    blocks = [Block(t) for t in lines]
    classify_lines(blocks, BoilerplateConfig())
    return {b.text: (b.reason or "main") for b in blocks}


def test_prose_is_kept():
    assert set(_classify(BODY).values()) == {"main"}


def test_script_residue_is_code():
    result = _classify(BODY + ["(adsbygoogle = window.adsbygoogle || []).push({});", "window.dataLayer = window.dataLayer || [];", ".share-box { color: red; }"])
    assert result["(adsbygoogle = window.adsbygoogle || []).push({});"] == "boilerplate.code"
    assert result["window.dataLayer = window.dataLayer || [];"] == "boilerplate.code"
    assert result[".share-box { color: red; }"] == "boilerplate.code"


def test_dates_counts_and_source_ages():
    result = _classify(BODY + ["June 27, 2024 - 341 views", "7 min ago", "example.com3d", "https://example.com/a/b"])
    assert result["June 27, 2024 - 341 views"] == "boilerplate.date_count"
    assert result["7 min ago"] == "boilerplate.date_count"
    assert result["example.com3d"] == "boilerplate.link"
    assert result["https://example.com/a/b"] == "boilerplate.link"


def test_prompts_navigation_and_bylines():
    lines = ["Home | World | Business | Sport | Contact", "Subscribe to our newsletter", "Liked it? Take a second to support Example Times on Patreon!", "Related: Council votes on parking fees", "By Jane Doe"]
    result = _classify(lines[:1] + BODY + lines[1:])
    assert result[lines[0]] == "boilerplate.nav"
    assert result[lines[1]] == "boilerplate.prompt"
    assert result[lines[2]] == "boilerplate.prompt"
    assert result[lines[3]] == "boilerplate.prompt"
    assert result[lines[4]] == "boilerplate.byline"


def test_lines_repeated_in_the_page_are_chrome():
    result = _classify(["Top stories today in the region"] + BODY + ["Top stories today in the region"])
    assert result["Top stories today in the region"] == "boilerplate.repeated"


def test_headline_leading_into_prose_is_restored_but_lone_short_lines_are_not():
    lines = ["Council approves school budget", "By Jane Doe", "March 3, 2021"] + BODY + ["Categories", "Weather and traffic updates"]
    result = _classify(lines)
    assert result["Council approves school budget"] == "main"
    assert result["Categories"] == "boilerplate.short"
    assert result["Weather and traffic updates"] == "boilerplate.short"


def test_short_line_between_prose_lines_stays():
    result = _classify([BODY[0], "Then the mayor spoke", BODY[1]])
    assert result["Then the mayor spoke"] == "main"


def test_tag_lists_without_stopwords_are_chrome():
    tags = "Politics Budget Council Schools Roads Taxes Mayor Elections Finance Transport Education Housing"
    assert _classify(BODY + [tags])[tags] in {"boilerplate.no_sentence", "boilerplate.short"}


def test_captions_tags_reading_time_disclaimers_and_syndication():
    lines = [
        "(Photo by Jane Doe/AFP via Getty Images)",
        "Image source, Getty Images",
        "Tags: Politics, Budget, Council",
        "Reading Time: 6 minutes",
        "(The opinions expressed in this article are solely those of the author and do not necessarily reflect the views of Example Times.)",
        "The post Council approves budget first appeared on Example Times.",
        "About the author: Jane Doe writes on city politics.",
    ]
    result = _classify(BODY + lines)
    for line in lines:
        assert result[line] != "main", line
