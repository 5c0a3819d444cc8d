from pipeline.document import Document, split_blocks
from pipeline.language import JUSTEXT_NAMES, UNKNOWN, detect, language_of
from pipeline.text import stopwords


def test_languages_are_told_from_prose_lines_with_a_probability():
    english = detect(["Home | News | Sport", "The council approved the new budget on Monday after a long debate about schools."])
    assert english.code == "en" and 0.9 < english.score <= 1.0 and "the" in english.stopwords
    chrome_in_english = ["Home", "News", "Sport", "Share this", "Die Regierung hat am Montag einen neuen Haushalt beschlossen, nach langer Debatte."]
    assert detect(chrome_in_english).code == "de" and "und" in detect(chrome_in_english).stopwords
    assert detect(["Грузовые перевозки по новому коридору выросли в первом квартале"]).code == "ru"
    japanese = detect(["東京の天気は晴れです。今日はとても暑い一日になりそうです。"])
    assert japanese.code == "ja" and japanese.stopwords == stopwords("English")  # no jusText list: no stopword matches
    assert detect([]) == UNKNOWN and detect(["  "]) == UNKNOWN


def test_every_mapped_code_names_a_jusText_list():
    import justext

    assert set(JUSTEXT_NAMES.values()) <= set(justext.get_stoplists())


def test_a_document_is_told_once():
    doc = Document(id="1", source="a.txt", blocks=split_blocks("Le conseil municipal a approuvé le nouveau budget lundi soir."))
    assert language_of(doc).code == "fr" and doc.language == "fr" and doc.language_score > 0.5
    doc.blocks = split_blocks("The council approved the budget on Monday after a long debate.")
    assert language_of(doc).code == "fr"  # recorded: later stages reuse it
