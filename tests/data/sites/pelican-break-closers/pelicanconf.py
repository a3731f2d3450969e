AUTHOR = "Liv Aasen"
SITENAME = "Broken Lines"
SITEURL = "https://lines.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
