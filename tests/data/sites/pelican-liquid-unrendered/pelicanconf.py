AUTHOR = "Kofi Mensah"
SITENAME = "Workshop Pictures"
SITEURL = "https://workshop.example.org"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
PLUGINS = ["pelican.plugins.liquid_tags"]
# the plugin writes these; feedsvc removes them (no template syntax in a feed)
LIQUID_TAGS = ["img", "video", "youtube"]
