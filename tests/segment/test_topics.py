from pipeline.config import DEFAULT_TOPICS
from pipeline.segment.topics import OTHER, nearest_topic


def test_nearest_topic_by_keyword_hits():
    text = "A series of blasts hit churches and hotels in Colombo, Sri Lanka, on Easter Sunday; Sri Lankan police said."
    assert nearest_topic(text, DEFAULT_TOPICS, 3) == "Sri Lanka"
    crash = "An American Airlines plane and an Army helicopter collided near the airport; the aircraft crashed into the river."
    assert nearest_topic(crash, DEFAULT_TOPICS, 3) == "plane crashes"
    politics = "Trump vetoed the resolution that Congress passed; Sanders and the Democrats in the Senate objected."
    assert nearest_topic(politics, DEFAULT_TOPICS, 3) == "US politics"


def test_too_few_hits_is_other_and_phrases_match_whole_words():
    assert nearest_topic("The weather was mild and the gardens bloomed early this spring.", DEFAULT_TOPICS, 3) == OTHER
    topics = {"volcanoes": ["lava flow", "eruption"]}
    assert nearest_topic("lava flowed. an eruption; the lava flow and eruption", topics, 2) == "volcanoes"
    assert nearest_topic("lavaflow", topics, 1) == OTHER
    assert nearest_topic("two eruptions, one lava flowing", topics, 1) == "volcanoes"  # compared by stem


def test_ties_go_to_the_topic_listed_first():
    topics = {"a": ["alpha"], "b": ["beta"]}
    assert nearest_topic("alpha beta", topics, 1) == "a"


def test_the_default_topics_are_general_news_vocabulary():
    assert nearest_topic("Floods and a storm forced the evacuation; rescue teams reached the injured victims.", DEFAULT_TOPICS, 3) == "disasters and accidents"
    assert nearest_topic("Police arrested a suspect; he was charged with murder and will stand trial in court.", DEFAULT_TOPICS, 3) == "crime"
    assert nearest_topic("Doctors said the virus outbreak filled the hospital with patients awaiting treatment.", DEFAULT_TOPICS, 3) == "health"
    sample_page_words = {"kash patel", "potomac", "black hawk", "negombo", "batticaloa", "st anthony", "easter sunday"}
    assert not sample_page_words & {k for keywords in DEFAULT_TOPICS.values() for k in keywords}
