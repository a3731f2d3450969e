AUTHOR = "Maren Lund"
SITENAME = "Acronym Shelf"
SITEURL = "https://acronym.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
