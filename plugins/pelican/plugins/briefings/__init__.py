"""Briefings: turns live-blog dumps into a Pelican site of entries, days and recaps.

Only ``register()`` touches Pelican, and only when Pelican calls it, so the
parser and the Markdown writer import and test without Pelican.
"""


def register():
    from .glue.plugin import connect

    connect()
