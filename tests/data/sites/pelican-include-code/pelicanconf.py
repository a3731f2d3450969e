AUTHOR = "Maren Holt"
SITENAME = "Shed Scripts"
SITEURL = "https://shed.example.org"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
STATIC_PATHS = ["code"]
PLUGINS = ["pelican.plugins.liquid_tags"]
# include_code reads content/code/<file> and writes it as a code block under a caption
LIQUID_TAGS = ["include_code"]
