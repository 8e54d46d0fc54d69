"""Building the search index and the JSON API on a second core changes nothing in the output."""

import filecmp
import shutil
import subprocess
import sys
import textwrap

from sitebuild import ROOT, SEEDS, build

from pelican.plugins.briefings.glue.jobs import ValueJob, write_files


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


def in_a_fresh_process(code: str) -> subprocess.CompletedProcess:
    """``code`` run by a new interpreter, its asserts failing the test: a job
    forks only a single-threaded process, and by the time this file runs the
    suite's own process may have threads (the browser tests' servers)."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_a_job_that_fails_on_the_other_core_fails_the_build_naming_the_job(tmp_path):
    result = in_a_fresh_process(
        f"""
        import pytest
        from pathlib import Path
        from pelican.plugins.briefings.glue.jobs import FilesJob

        def broken():
            yield "api/entries.json", iter(["[\\n"])
            raise ValueError("no records")

        job = FilesJob("JSON API", broken, Path({str(tmp_path)!r}), jobs=2)
        assert job._process is not None  # forked: the failure comes back through the exit status
        with pytest.raises(RuntimeError, match="JSON API failed in its process"):
            job.wait()
        """
    )
    assert "briefings: JSON API failed: ValueError: no records" in result.stderr


def test_the_briefing_made_on_the_other_core_names_the_parents_own_posts(tmp_path):
    in_a_fresh_process(
        f"""
        import pytest
        from pathlib import Path
        from pelican.plugins.briefings.annotate.briefing import BriefingSettings, annotate
        from pelican.plugins.briefings.glue.entries import archive_objects
        from pelican.plugins.briefings.glue.jobs import ValueJob
        from pelican.plugins.briefings.ingest.catalog import build_archive
        from pelican.plugins.briefings.ingest.sources import load_blogs

        seeds, folder = Path({str(SEEDS)!r}), Path({str(tmp_path)!r})
        archive = build_archive(list(load_blogs(seeds).blogs))
        make = lambda: annotate(archive, BriefingSettings(), seeds.parent)
        here, _ = make()
        job = ValueJob("annotate", make, folder, jobs=2, shared=archive_objects(archive))
        assert job._process is not None
        there, _ = job.result()
        assert list(folder.iterdir()) == []  # the hand-over file is gone
        posts = {{id(post) for post in archive.posts}}
        links = [link for shown in there.related.values() for link in shown]
        assert links and all(id(link.source) in posts and id(link.target) in posts for link in links)
        assert all(id(post) in posts for entries in there.posts_of.values() for post in entries)
        # The same briefing as one made in this process, read-only mappings included.
        assert there.related == here.related and there.recaps == here.recaps and there.threads == here.threads
        assert type(there.related) is type(here.related)
        with pytest.raises(TypeError):
            there.related["x"] = ()
        """
    )


def test_an_error_made_on_the_other_core_is_raised_again_as_itself(tmp_path):
    in_a_fresh_process(
        f"""
        import pytest
        from pathlib import Path
        from pelican.plugins.briefings.errors import BriefingsError
        from pelican.plugins.briefings.glue.jobs import ValueJob

        def refuse():
            raise BriefingsError("pelican.conf.py", 3, "BRIEFINGS_RELATED_STANDOUT must be a number")

        folder = Path({str(tmp_path)!r})
        job = ValueJob("annotate", refuse, folder, jobs=2)
        assert job._process is not None
        with pytest.raises(BriefingsError) as raised:
            job.result()
        assert raised.value.problem == BriefingsError("pelican.conf.py", 3, "BRIEFINGS_RELATED_STANDOUT must be a number").problem
        assert list(folder.iterdir()) == []
        """
    )


def test_with_one_job_the_value_is_made_when_asked_for(tmp_path):
    made = []
    job = ValueJob("annotate", lambda: made.append(1) or "done", tmp_path, jobs=1)
    assert made == []
    assert job.result() == "done" and made == [1]


def test_the_site_is_the_same_whether_annotate_ends_before_or_after_the_entries_are_read(tmp_path):
    # A cold build finds annotate done once the entries are read, and takes the
    # briefing there; a rebuild reads its entries sooner, and takes it after the
    # day pages (entries.finish_briefing). Both orders, forced, give one site.
    shutil.copytree(SEEDS, tmp_path / "content" / "blogs")
    for name, ready in (("first", "True"), ("after", "False")):
        out = tmp_path / name
        in_a_fresh_process(
            f"""
            from pelican.plugins.briefings.command.cli import main
            from pelican.plugins.briefings.glue import jobs

            asked = []

            def ready(job):
                if job._process is not None and {ready}:
                    job._process.join()  # annotate has ended by the time the entries are read
                asked.append(job.name)
                return {ready}

            jobs.ValueJob.ready = ready
            status = main([
                "--settings", "pelican.conf.py", "--content", {str(tmp_path / "content")!r},
                "--output", {str(out)!r}, "--set", "BRIEFINGS_JOBS=2",
                "--set", "BRIEFINGS_MARKDOWN_DIR={out}-markdown", "--set", "BRIEFINGS_CACHE_DIR={out}-cache",
            ])
            assert status == 0
            assert asked == ["annotate"], asked
            """
        )
    assert (tmp_path / "first" / "index.html").is_file()
    assert same_tree(tmp_path / "first", tmp_path / "after") == []


def test_neither_the_build_nor_annotate_imports_scikit_learn():
    # scikit-learn and the scipy.stats it imports are 1.4 to 1.9 s of start-up:
    # first of every build's, then of annotate's process, on a rebuild's
    # critical path. The TF-IDF is the plugin's own (tests/test_links_meaning.py
    # holds it to scikit-learn's), and so is the list of stop words.
    result = in_a_fresh_process(
        """
        import sys
        sys.path.insert(0, "tests")
        import pelican.plugins.briefings
        from pelican.plugins.briefings.glue import plugin
        from seedbriefing import seed_briefing
        plugin.connect()
        archive, briefing = seed_briefing()
        assert briefing.related  # annotate ran, and found links
        print(sorted(name for name in ("sklearn", "scipy.stats") if name in sys.modules))
        """
    )
    assert result.stdout.split("\n")[0] == "[]"
