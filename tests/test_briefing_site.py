"""The briefing as a reader finds it on the seeds' site: cross-links, entities,
recaps, editor's notes, then and now, and the JSON that carries them."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from sitebuild import ROOT, broken_links, build, read_page

CONTENT = ROOT / "content"
HEGSETH = "2025/02/14/0935-hegseth-arrives-in-poland-after-incendiary-comments-on-ukraine.html"
CHERNOBYL = "2025/02/14/0808-chernobyls-protective-shield-damaged-by-russian-strike-ukraine.html"
WITHDRAWAL = "2022/02/15/0901-russia-announces-withdrawal-of-some-troops-from-border.html"
BORDER, MUNICH, PARIS = (
    "blogs/ukraine-border-crisis-2022-02",
    "blogs/munich-security-conference-2025-02",
    "blogs/paris-summit-riyadh-talks-2025-02",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("briefing")
    shutil.copytree(CONTENT, root / "content")
    output = root / "output"
    result = build(root / "content", output)
    assert result.returncode == 0, result.stderr
    return output


def hrefs(page):
    """Link targets as written, less a leading ``./`` (the root page's SITEURL)."""
    return [value.removeprefix("./") for name, value in page.links if name == "href"]


def section(page_text: str, start: str, end: str) -> str:
    return page_text[page_text.index(start) : page_text.index(end, page_text.index(start))]


def test_entry_page_shows_entity_chips_and_its_2022_roots(site):
    page = read_page(site / HEGSETH)
    links = hrefs(page)
    assert "../../../entities/pete-hegseth.html" in links and "../../../entities/nato-membership.html" in links
    then = section(page.visible, "Then: Feb 2022", "How did we get here?")
    assert "three years earlier" in then
    assert "Putin cooking a broth of tension, expert says" in then
    assert "both about: Nato membership" in then
    assert "../../../2022/02/15/1024-putin-cooking-a-broth-of-tension-expert-says.html" in links


def test_entry_without_a_counterpart_has_no_then_panel(site):
    page = read_page(site / CHERNOBYL)
    assert "Then:" not in page.visible and "both about" not in page.visible
    assert not [attrs for tag, attrs in page.tags if "crosslinks" in (attrs.get("class") or "")]


def test_2022_entry_shows_what_came_later(site):
    page = read_page(site / "2022/02/15/1024-putin-cooking-a-broth-of-tension-expert-says.html")
    assert "Later: Feb 2025" in page.visible and "Hegseth arrives in Poland" in page.visible


def test_day_pages_word_the_panel_from_the_gap(site):
    munich = read_page(site / MUNICH / "2025-02-14.html").visible
    assert "Three years earlier Feb 2022" in munich
    assert munich.index("Three years earlier") < munich.index("All 20 entries")
    border = read_page(site / BORDER / "2022-02-15.html").visible
    assert "Three years later Feb 2025" in border


def test_every_day_and_blog_has_a_recap_page_and_markdown(site):
    for day_page in [BORDER + "/2022-02-14", BORDER + "/2022-02-15", MUNICH + "/2025-02-14", PARIS + "/2025-02-17"]:
        blog, day = day_page.rsplit("/", 1)
        assert f"../../{blog}/recap-{day}.html" in hrefs(read_page(site / f"{day_page}.html"))
        recap = read_page(site / blog / f"recap-{day}.html").visible
        assert "How did we get here?" in recap and "Timeline" in recap
        markdown = site / "markdown" / "recaps" / blog.split("/")[1] / f"{day}.md"
        assert markdown.read_text(encoding="utf-8").startswith("---\n")
    for blog in (BORDER, MUNICH, PARIS):
        assert f"../../{blog}/recap.html" in hrefs(read_page(site / blog / "index.html"))
        assert "Timeline" in read_page(site / blog / "recap.html").visible


def test_munich_recap_reads_as_a_timeline_into_2022(site):
    page = read_page(site / MUNICH / "recap-2025-02-14.html")
    text = page.visible
    coverage = text.index("From the coverage")
    timeline = text.index("Timeline")
    assert coverage < text.index("In the run up to the US presidential election") < timeline
    earlier = text[timeline : text.index("Use in a newsletter")]  # the panel below holds copies of it all
    assert "14 Feb 2022, 20:00 GMT · Frantic efforts to deter invasion continue" in earlier
    assert "Everything President Putin needs to mount a full-scale invasion is in place." in earlier
    dates = re.findall(r"(\d+ Feb 20\d\d), (\d\d:\d\d) GMT ·", earlier)
    assert dates and all(year.endswith("2022") for year, _ in dates)
    assert "../../2022/02/14/2000-frantic-efforts-to-deter-invasion-continue.html" in hrefs(page)


def test_editors_notes_show_on_entry_day_and_recaps(site):
    entry = read_page(site / WITHDRAWAL)
    assert "Editor's note" in entry.visible and "Nine days later, on 24 February 2022" in entry.visible
    day = read_page(site / BORDER / "2022-02-15.html").visible
    note = day.index("Nine days later")
    assert day.rindex("Russia announces withdrawal of some troops from border", 0, note) > day.index("All 15 entries")
    paris_recap = read_page(site / PARIS / "recap-2025-02-17.html").visible
    assert "took place the next day, 18 February 2025" in paris_recap  # the day's note
    assert "halted the certification of Nord Stream 2" in paris_recap  # a note on a timeline entry
    assert "took place the next day" in read_page(site / PARIS / "2025-02-17.html").visible


def test_entity_pages_list_entries_across_periods_in_time_order(site):
    page = read_page(site / "entities" / "olaf-scholz.html")
    assert "Person" in page.visible
    entries = [h for h in hrefs(page) if re.match(r"\.\./20\d\d/", h)]
    assert entries == sorted(entries) and len(entries) >= 4
    putin = read_page(site / "entities" / "vladimir-putin.html").visible
    assert putin.index("Feb 2022") < putin.index("Feb 2025")
    index = read_page(site / "entities" / "index.html")
    assert "kira-rudyk.html" in hrefs(index) and "Topics" in index.visible
    assert "Kira Rudik" not in index.visible  # one person, one page, whatever the spelling


def test_then_and_now_pairs_the_periods_by_thread_and_is_linked_from_home(site):
    home = read_page(site / "index.html")
    assert {"then-and-now.html", "entities/index.html", f"{MUNICH}/recap.html"} <= set(hrefs(home))
    page = read_page(site / "then-and-now.html").visible
    nato = section(page, "Nato membership: Feb 2022 → Feb 2025", "Sanctions: Feb 2022")
    assert "Putin cooking a broth of tension" in nato and "Hegseth arrives in Poland" in nato


def test_entries_json_carries_period_entities_and_related(site):
    entries = {e["url"]: e for e in json.loads((site / "api" / "entries.json").read_text(encoding="utf-8"))}
    hegseth = entries[HEGSETH]
    assert hegseth["period"] == "2025"
    assert {"Pete Hegseth", "Nato membership", "Warsaw"} <= set(hegseth["entities"])
    assert len(hegseth["related"]) == 3
    for link in hegseth["related"]:
        assert set(link) == {"id", "title", "url", "period", "score", "reason"}
        assert link["period"] == "2022" and link["score"] >= 1.6 and link["reason"].startswith("both about: ")
        assert entries[link["url"]]["id"] == link["id"]
    assert entries[CHERNOBYL]["related"] == []


def test_recaps_json_lists_each_recaps_items(site):
    recaps = json.loads((site / "api" / "recaps.json").read_text(encoding="utf-8"))
    assert len(recaps) == 7
    munich = next(r for r in recaps if r["url"] == f"{MUNICH}/recap-2025-02-14.html")
    assert munich["kind"] == "day" and munich["day"] == "2025-02-14"
    assert [e["title"] for e in munich["recap_entries"]] == ["How did we get here?"]
    assert munich["items"] and all(item["period"] == "2022" and item["gist"] for item in munich["items"])
    assert (site / munich["markdown"]).is_file()
    assert set(munich["items"][0]) == {
        "id",
        "title",
        "url",
        "blog",
        "day",
        "published",
        "period",
        "gist",
        "on_the_day",
        "score",
        "reason",
        "related_to",
    }


def test_every_internal_link_resolves(site):
    broken = broken_links(site)
    assert not broken, "\n".join(broken[:20])


def test_bad_notes_and_gazetteer_are_one_line_each_and_the_site_still_builds(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "annotations" / "typo.md").write_text("---\nentry: 2022-02-15-0901-russia-announces\n---\nText.\n")
    (content / "annotations" / "hostile.md").write_text(
        "---\nday: 2022-02-14\n---\n<script>alert(1)</script> [x](javascript:alert(1))\n\n::::::\n\n# Still a note\n"
    )
    with (content / "entities.yaml").open("a", encoding="utf-8") as gazetteer:
        gazetteer.write("- name: Somebody\n  kind: celebrity\n")
    output = tmp_path / "output"
    result = build(content, output)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [typo] = [line for line in result.stderr.splitlines() if "typo.md" in line]
    assert re.fullmatch(
        r"briefings: .*annotations/typo\.md:2: error: annotates entry "
        r"'2022-02-15-0901-russia-announces', which does not exist; did you mean "
        r"'2022-02-15-0901-russia-announces-withdrawal-of-some-troops-from-border'\?",
        typo,
    )
    [kind] = [line for line in result.stderr.splitlines() if "entities.yaml" in line]
    assert "kind must be one of" in kind
    day = read_page(output / BORDER / "2022-02-14.html")
    assert "<script>alert(1)</script> [x](javascript:alert(1))" in day.visible
    assert not [a for t, a in day.tags if t == "script" and a.get("type") != "application/ld+json"]
    assert not [v for _, v in day.links if v.lower().startswith("javascript:")]
    html = (output / BORDER / "2022-02-14.html").read_text(encoding="utf-8")
    note = html[html.index('<aside class="editors-note">') : html.index("</aside>")]
    assert "Still a note" in note  # a run of colons in a note cannot close it early
    assert len(list(output.glob("20[0-9][0-9]/*/*/*.html"))) == 60


def test_dumps_without_times_or_links_still_get_recaps_and_entity_pages(tmp_path):
    blogs = tmp_path / "content" / "blogs"
    blogs.mkdir(parents=True)
    fixtures = ROOT / "tests" / "fixtures" / "dumps"
    for name in ("untimestamped", "partly_timestamped", "british_summer_time"):
        shutil.copy(fixtures / f"{name}.txt", blogs / f"{name}.txt")
        (blogs / f"{name}.yaml").write_text(f"title: {name}\nyear: 2024\ndate: 2014-03-01\n", encoding="utf-8")
    output = tmp_path / "output"
    result = build(tmp_path / "content", output)
    assert result.returncode == 0, result.stderr
    assert (output / "blogs" / "untimestamped" / "recap.html").is_file()
    assert (output / "then-and-now.html").is_file() and (output / "entities" / "index.html").is_file()
    assert json.loads((output / "api" / "recaps.json").read_text(encoding="utf-8"))
