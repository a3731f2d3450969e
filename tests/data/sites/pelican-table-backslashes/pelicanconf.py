AUTHOR = "Jonas Berg"
SITENAME = "Escape Sequences"
SITEURL = "https://escapes.example.se"
PATH = "content"
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
