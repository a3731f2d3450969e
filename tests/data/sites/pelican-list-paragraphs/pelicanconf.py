AUTHOR = "Liv Holt"
SITENAME = "Terrace Steps"
SITEURL = "https://terrace.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
