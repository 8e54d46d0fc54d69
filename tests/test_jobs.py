"""Building the search index and the JSON API on a second core changes nothing in the output."""

import filecmp
import shutil

import pytest
from sitebuild import SEEDS, build

from pelican.plugins.briefings.glue.jobs import FilesJob, write_files


def same_tree(left, right) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    differences = comparison.left_only + comparison.right_only + comparison.diff_files
    for name, sub in comparison.subdirs.items():
        differences += [f"{name}/{d}" for d in same_tree(left / name, right / name)]
    return differences


def test_one_job_and_two_jobs_build_the_same_site(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "content" / "blogs")
    small = ("--set", "BRIEFINGS_SEARCH_PART_BYTES=2000")  # many parts of the search index
    one = build(tmp_path / "content", tmp_path / "one", "--set", "BRIEFINGS_JOBS=1", *small)
    two = build(tmp_path / "content", tmp_path / "two", "--set", "BRIEFINGS_JOBS=2", *small)
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert (tmp_path / "two" / "search" / "terms" / "20.js").is_file()
    assert same_tree(tmp_path / "one", tmp_path / "two") == []


def test_a_file_given_in_chunks_is_written_as_its_whole_text(tmp_path):
    write_files(tmp_path, [("api/one.json", "[\n1\n]\n"), ("api/two.json", iter(["[\n", "2", "\n]\n"]))])
    assert (tmp_path / "api" / "one.json").read_text(encoding="utf-8") == "[\n1\n]\n"
    assert (tmp_path / "api" / "two.json").read_text(encoding="utf-8") == "[\n2\n]\n"


def test_a_job_that_fails_on_the_other_core_fails_the_build_naming_the_job(tmp_path, capfd):
    def broken():
        yield "api/entries.json", iter(["[\n"])
        raise ValueError("no records")

    job = FilesJob("JSON API", broken, tmp_path, jobs=2)
    assert job._process is not None  # forked: the failure comes back through the exit status
    with pytest.raises(RuntimeError, match="JSON API failed in its process"):
        job.wait()
    assert "briefings: JSON API failed: ValueError: no records" in capfd.readouterr().err
