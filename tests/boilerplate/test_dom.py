from trafilatura.utils import load_html

from pipeline.boilerplate.dom import ATTRIBUTE_GROUPS, TAG_BITS, page_lines


def test_one_line_per_block_without_scripts_or_styles():
    tree = load_html(
        "<html><head><title>T</title><script>var x = 1;</script></head><body><div>One <b>bold</b> line</div>"
        "<p>Two<br>Three</p><style>p{}</style><!-- note -->tail</body></html>"
    )
    assert [line.text for line in page_lines(tree)] == ["One bold line", "Two", "Three", "tail"]


def test_noscript_content_is_visible():
    # Some forums serve their whole content inside <noscript>.
    tree = load_html("<html><body><noscript><div><p>The first post of the thread.</p></div></noscript></body></html>")
    assert [line.text for line in page_lines(tree)] == ["The first post of the thread."]


def test_lines_record_links_enclosing_elements_and_class_words():
    tree = load_html(
        "<html><body><nav class='main-menu'><ul><li><a href='/'>Home</a></li></ul></nav>"
        "<div id='article-body'><p>Read <a href='/x'>this</a> now.</p></div>"
        "<div class='share-buttons'><span>Share</span></div></body></html>"
    )
    home, para, share = page_lines(tree)
    assert home.link_chars == 4 and para.link_chars == 4 and share.link_chars == 0
    nav, li = TAG_BITS["nav"], TAG_BITS["list"]
    assert home.tags & nav and home.tags & li and not para.tags & nav
    group = {name: 1 << i for i, (name, _) in enumerate(ATTRIBUTE_GROUPS)}
    assert home.attributes & group["nav"]
    assert para.attributes & group["content"] and not para.attributes & group["nav"]
    assert share.attributes & group["social"]


def test_deep_pages_do_not_exhaust_the_stack():
    html = "<html><body>" + "<span>" * 250 + "deep text" + "</span>" * 250 + "</body></html>"
    assert [line.text for line in page_lines(load_html(html))] == ["deep text"]


def test_an_h1_is_a_heading_and_an_h1():
    (title, sub) = page_lines(load_html("<html><body><h1>Title</h1><h2>Part</h2></body></html>"))
    assert title.tags & TAG_BITS["h1"] and title.tags & TAG_BITS["heading"]
    assert sub.tags & TAG_BITS["heading"] and not sub.tags & TAG_BITS["h1"]


def test_line_breaks_in_the_source_are_spaces_except_in_preformatted_text():
    tree = load_html(
        "<html><body><p>A paragraph the source\n   wraps at a\nfixed width.</p><pre>line one\nline two</pre></body></html>"
    )
    assert [line.text for line in page_lines(tree)] == ["A paragraph the source wraps at a fixed width.", "line one", "line two"]


def test_a_table_row_is_one_line_with_its_cells_side_by_side():
    tree = load_html("<html><body><table><tr><th>Pos.</th><th>Driver</th></tr><tr><td>1</td><td>Kyle <b>Busch</b></td></tr></table></body></html>")
    assert [line.text for line in page_lines(tree)] == ["Pos. Driver", "1 Kyle Busch"]
