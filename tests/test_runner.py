"""The runner's fit steps spread over jobs give what one process gives."""
import random

import pytest

from pipeline import Config
from pipeline.boilerplate.templates import TemplateCounter
from pipeline.engine import LocalEngine
from pipeline.progress import NoProgress
from pipeline.readers import discover, read_file
from pipeline.runner import _site_templates

LINES = [f"Recurring line number {k} of a site template" for k in range(40)]


@pytest.mark.parametrize("files_per_job, jobs_per_partition, workers", [(3, 1, 1), (7, 2, 2), (100, 16, 1)])
def test_the_partitioned_template_count_equals_one_counter(tmp_path, monkeypatch, files_per_job, jobs_per_partition, workers):
    rng = random.Random(files_per_job)
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(60):  # each page: a unique longest line and some recurring lines
        chosen = rng.sample(LINES, rng.randint(0, 12))
        (raw / f"p{i:02d}.txt").write_text("\n".join([f"The unique and long opening paragraph of page {i} " * 3] + chosen))
    for i in range(5):  # copies of one page: its lines count once
        (raw / f"copy{i}.txt").write_text("\n".join(["One article copied five times " * 3] + LINES[:3]))
    monkeypatch.setattr("pipeline.runner.TEMPLATE_FILES_PER_JOB", files_per_job)
    monkeypatch.setattr("pipeline.runner.TEMPLATE_JOBS_PER_PARTITION", jobs_per_partition)
    config = Config().override({"boilerplate.template_min_pages": "6"})
    files = discover([raw], exclude=[])
    templates, documents = _site_templates(files, config, NoProgress(), LocalEngine(workers), tmp_path / "templates")
    counter = TemplateCounter()
    for path, source in files:
        counter.add_all(read_file(path, source, 10**8, False, 10.0))
    assert templates == counter.templates(6) and 10 < len(templates) < 40
    assert documents == 65
    assert not (tmp_path / "templates").exists()
