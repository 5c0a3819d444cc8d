from pipeline.text import detect_language, normalize, stopwords, words


def test_words_and_normalize():
    assert words("Hello, World! It's 2024.") == ["hello", "world", "it", "s", "2024"]
    assert normalize("  Ｈello,\tWORLD!!  ") == "hello world"


def test_language_detection_uses_stoplists():
    assert detect_language(words("the cat sat on the mat and it was happy")) == "English"
    assert detect_language(words("der Hund und die Katze sind nicht in dem Haus")) == "German"
    assert detect_language([]) == "English"
    assert "the" in stopwords("English") and "und" in stopwords("German")
