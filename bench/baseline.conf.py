"""Plain Pelican for the benchmark's baseline: defaults but for the theme, the
time zone and URLs by date (so 50,000 articles are not one folder)."""

SITENAME = "Baseline"
AUTHOR = "Briefings"
PATH = "content"
THEME = "simple"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL

PLUGINS = []  # plain Pelican: no plugin, even one installed in the environment
