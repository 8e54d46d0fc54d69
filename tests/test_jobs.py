"""Building the search index on a second core changes nothing in the output."""

import filecmp
import shutil

from sitebuild import SEEDS, build


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
