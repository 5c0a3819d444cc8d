import pytest

from pipeline.config import Config, ConfigError, describe, load_config, reference
from tests.conftest import REPO


def test_shipped_config_equals_the_defaults():
    assert load_config(REPO / "config.toml") == Config()


def test_every_key_is_in_the_shipped_config():
    text = (REPO / "config.toml").read_text()
    for key, default, help_text in describe():
        if isinstance(default, dict):
            assert f"[{key}]" in text, key
        else:
            assert key.split(".")[1] + " =" in text, key
        assert help_text


def test_file_values_override_defaults(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[dedup]\nthreshold = 0.9\nnum_perm = 64\n")
    config = load_config(path)
    assert config.dedup.threshold == 0.9 and config.dedup.num_perm == 64
    assert config.segment == Config().segment


@pytest.mark.parametrize(
    "text, message",
    [
        ("[dedup]\nthreshhold = 0.9\n", "unknown config key 'dedup.threshhold'"),
        ("[dedupe]\nthreshold = 0.9\n", "unknown config section '[dedupe]'"),
        ("[dedup]\nnum_perm = 'many'\n", "bad value for 'dedup.num_perm'"),
        ("[dedup]\nthreshold = 1.5\n", "out of range"),
        ("[dedup]\nnum_perm = true\n", "expected an integer"),
        ("[dedup\n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_problem(tmp_path, text, message):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_override_parses_values_and_rejects_unknown_keys():
    config = Config().override({"dedup.threshold": "0.85", "boilerplate.html_model": "false"})
    assert config.dedup.threshold == 0.85 and config.boilerplate.html_model is False
    with pytest.raises(ConfigError, match="unknown config key 'dedup.nope'"):
        Config().override({"dedup.nope": "1"})
    with pytest.raises(ConfigError, match="unknown config key 'threshold'"):
        Config().override({"threshold": "1"})


def test_the_configuration_reference_is_generated_from_the_keys():
    assert (REPO / "docs" / "configuration.md").read_text() == reference()
    for key, _default, help_text in describe():
        assert f"| `{key}` |" in reference() and help_text in reference()


def test_topics_are_a_table_of_keyword_lists(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[segment.topics]\n"Volcanoes" = ["Lava", "eruption"]\n')
    assert load_config(path).segment.topics == {"Volcanoes": ["lava", "eruption"]}
    path.write_text('[segment]\ntopics = ["not", "a", "table"]\n')
    with pytest.raises(ConfigError, match="segment.topics"):
        load_config(path)
