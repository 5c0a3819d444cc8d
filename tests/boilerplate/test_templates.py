from pipeline.boilerplate.lines import classify_lines
from pipeline.boilerplate.templates import TemplateCounter, line_hash
from pipeline.config import BoilerplateConfig
from pipeline.document import Block, Document

FOOTER = "Example Times is not a party to the views of its columnists, who write on their own behalf each week."


def _page(i: int, article: str) -> Document:
    body = f"{article} This is the unique opening paragraph of story {i}, with enough words to be the longest line of it."
    return Document(id=str(i), source=f"{i}.txt", blocks=[Block(body), Block(FOOTER), Block(f"Another paragraph number {i}.")])


def test_lines_on_many_different_pages_are_templates_copies_of_one_page_count_once():
    counter = TemplateCounter()
    counter.add_all(_page(i, "Story.") for i in range(5))
    assert line_hash(FOOTER) in counter.templates(5)
    copies = TemplateCounter()
    copies.add_all(_page(0, "Same story.") for _ in range(9))  # nine copies of one article
    assert copies.templates(5) == frozenset()
    assert counter.templates(0) == frozenset()


def test_template_lines_are_removed_with_their_reason():
    blocks = [Block("The council approved the budget on Monday after a long debate about the schools and roads."), Block(FOOTER)]
    classify_lines(blocks, BoilerplateConfig(), templates=frozenset({line_hash(FOOTER)}))
    assert blocks[0].is_main and blocks[1].reason == "boilerplate.template"
