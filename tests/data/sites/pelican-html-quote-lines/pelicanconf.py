AUTHOR = "Ines Okafor"
SITENAME = "Reading Room"
SITEURL = "https://reading.example.com"
PATH = "content"
TIMEZONE = "Africa/Lagos"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
