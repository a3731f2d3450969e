AUTHOR = "Ivar Dahl"
SITENAME = "Old Posts Kept"
SITEURL = "https://kept.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
