AUTHOR = "Eilidh Fraser"
SITENAME = "Episode Guide"
SITEURL = "https://episodes.example.scot"
PATH = "content"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
