from datetime import date

from pelican.plugins.briefings import urls


def test_slug_is_ascii_lowercase_and_hyphenated():
    assert urls.slugify("Zelensky: 'Army of Europe' needed — now!") == "zelensky-army-of-europe-needed-now"
    assert urls.slugify("Łódź café") == "lodz-cafe"


def test_long_titles_are_cut_at_a_word():
    slug = urls.slugify("word " * 40)
    assert len(slug) <= urls.MAX_SLUG_LENGTH and not slug.endswith("-") and slug.endswith("word")


def test_entry_permalink_has_date_time_and_title():
    slug = urls.entry_slug("Russia announces withdrawal of some troops from border", "0901")
    assert urls.entry_url(date(2022, 2, 15), slug) == (
        "2022/02/15/0901-russia-announces-withdrawal-of-some-troops-from-border.html"
    )


def test_every_page_url_names_a_file():
    assert urls.blog_url("x").endswith("/index.html")
    assert urls.day_url("x", date(2025, 2, 17)).endswith(".html")


def test_relative_links_between_pages():
    assert urls.relative("blogs/x/2022-02-15.html", "2022/02/15/a.html") == "../../2022/02/15/a.html"
    assert urls.relative("2022/02/15/a.html", "blogs/x/2022-02-15.html#e-a") == "../../../blogs/x/2022-02-15.html#e-a"
    assert urls.relative("index.html", "blogs/x/index.html") == "blogs/x/index.html"


def test_relative_links_agree_with_posixpath_on_every_shape_of_address():
    # relative() no longer goes through posixpath.relpath (too slow for the recap and
    # entity pages' links); any page's link must still land where relpath would send it.
    import itertools
    import posixpath

    parts = ["a", "b", "2022", "x.html", "index.html", "."]
    paths = ["/".join(p) for n in range(1, 4) for p in itertools.product(parts, repeat=n)]
    pages = ["index.html", "a/x.html", "a/b/index.html", "2022/a/b/x.html", "b/2022/x.html"]
    for page, target in itertools.product(pages, paths + [p + "/" for p in paths[:50]]):
        expected = posixpath.relpath(target, posixpath.dirname(page) or ".")
        assert urls.relative(page, target) == expected, (page, target)
        assert urls.relative(page, target + "#e-1") == expected + "#e-1"
