"""Editor's notes: a note names an entry or a day; a note that names nothing is one clear line."""

from datetime import date

import pytest
from seedbriefing import seed_briefing

from pelican.plugins.briefings.annotate.notes import load_notes

WITHDRAWAL = "2022-02-15-0901-russia-announces-withdrawal-of-some-troops-from-border"


@pytest.fixture(scope="module")
def archive():
    return seed_briefing()[0]


def notes_from(tmp_path, archive, **files):
    for name, text in files.items():
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    return load_notes(tmp_path, archive)


def test_entry_and_day_notes_are_read(tmp_path, archive):
    notes, problems = notes_from(
        tmp_path,
        archive,
        a=f"---\nentry: {WITHDRAWAL}\nauthor: The editors\n---\nNine days *later*…\n",
        b="---\nday: 2025-02-17\n---\nThe talks took place the next day.\n",
    )
    assert problems == []
    entry_note, day_note = notes
    assert (
        entry_note.entry == WITHDRAWAL
        and entry_note.author == "The editors"
        and entry_note.body == "Nine days *later*…"
    )
    assert day_note.day == date(2025, 2, 17) and day_note.blog == "paris-summit-riyadh-talks-2025-02"


@pytest.mark.parametrize(
    "text, line, reason",
    [
        (
            f"---\nentry: {WITHDRAWAL[:-1]}x\n---\nText.\n",
            2,
            f"annotates entry '{WITHDRAWAL[:-1]}x', which does not exist; did you mean '{WITHDRAWAL}'?",
        ),
        (
            "---\nentry: no-such-entry-at-all-0000\n---\nText.\n",
            2,
            "annotates entry 'no-such-entry-at-all-0000', which does not exist",
        ),
        ("Just text, no front matter.\n", 1, "a note starts with front matter"),
        ("---\nentry: x\nText.\n", 1, "front matter is not closed"),
        ("---\nentry: [x\n---\nText.\n", 2, "invalid YAML in front matter"),
        (f"---\nentry: {WITHDRAWAL}\nday: 2022-02-15\n---\nText.\n", 1, "name exactly one thing to annotate"),
        ("---\nauthor: me\n---\nText.\n", 1, "name exactly one thing to annotate"),
        (f"---\nentry: {WITHDRAWAL}\n---\n\n", None, "the note is empty"),
        ("---\nday: 2023-05-01\n---\nText.\n", 2, "annotates day 2023-05-01, which no blog covers"),
        ("---\nday: 15 Feb 2022\n---\nText.\n", 2, "`day: 15 Feb 2022` is not a date like 2022-02-15"),
        ("---\nday: 2022-02-15\nblog: munich\n---\nText.\n", 3, "blog 'munich' has no coverage on 2022-02-15"),
    ],
)
def test_bad_note_is_one_problem_naming_the_file_and_is_left_out(tmp_path, archive, text, line, reason):
    good = f"---\nentry: {WITHDRAWAL}\n---\nA good note.\n"
    notes, problems = notes_from(tmp_path, archive, bad=text, good=good)
    assert [note.name for note in notes] == ["good"]
    [problem] = problems
    assert problem.path == str(tmp_path / "bad.md") and problem.line == line and problem.severity == "error"
    assert reason in problem.reason
    assert "\n" not in str(problem)


def test_unknown_note_keys_are_warnings(tmp_path, archive):
    notes, problems = notes_from(tmp_path, archive, a=f"---\nentry: {WITHDRAWAL}\ncolour: red\n---\nText.\n")
    assert len(notes) == 1 and [(p.severity, p.line) for p in problems] == [("warning", 3)]


def test_no_annotations_folder_means_no_notes(tmp_path, archive):
    assert load_notes(tmp_path / "missing", archive) == ((), [])
