AUTHOR = "Trond Aas"
SITENAME = "Gravel Notes"
SITEURL = "https://gravel.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
# Files and folders Pelican does not read, by name
IGNORE_FILES = [".#*", "*.draft.md", "scratch"]
# HTML files are attachments here, not articles
READERS = {"html": None}
