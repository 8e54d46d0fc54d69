# A Briefings site (made by `briefings new`). Every Pelican setting works as usual;
# the BRIEFINGS_* settings and their defaults are in the plugin's docs/settings.md.
SITENAME = "My briefings"
SITEURL = ""  # the published address, e.g. "https://example.org/briefings"
RELATIVE_URLS = True  # the site also works when opened from disk
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
LOCALE = ["C.UTF-8", "C"]  # English month names whatever the machine's locale

PLUGINS = ["briefings"]  # the installed pelican-briefings

# Pelican's own theme; the plugin's pages extend its base.html. Put a theme of
# your own here, and override any of the plugin's templates (templates/briefings/).
# THEME = "mytheme"
