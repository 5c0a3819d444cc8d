from pipeline.text import normalize, stopwords, words


def test_words_and_normalize():
    assert words("Hello, World! It's 2024.") == ["hello", "world", "it", "s", "2024"]
    assert normalize("  Ｈello,\tWORLD!!  ") == "hello world"


def test_stoplists_by_language_name():
    assert "the" in stopwords("English") and "und" in stopwords("German")
    assert stopwords("Klingon") == stopwords("English")
