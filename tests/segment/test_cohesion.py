import pytest

from pipeline.segment.cohesion import content_words, cosine, tfidf_vectors


def test_similar_segments_score_higher_than_unrelated_ones():
    a = "rail freight corridor terminals freight volumes".split()
    b = "freight corridor rail tariffs operators".split()
    c = "storm rain flooding villages rivers".split()
    va, vb, vc = tfidf_vectors([a, b, c])
    assert cosine(va, vb) > 0.3 > cosine(va, vc) == 0.0


def test_vectors_are_normalized_and_cosine_is_symmetric():
    va, vb = tfidf_vectors([["x", "y", "y"], ["y", "z"]])
    assert cosine(va, va) == pytest.approx(1.0)
    assert cosine(va, vb) == pytest.approx(cosine(vb, va))


def test_content_words_drop_stopwords_digits_and_single_letters():
    assert content_words(["the", "rail", "2024", "a", "x", "freight"], frozenset({"the", "a"})) == ["rail", "freight"]
