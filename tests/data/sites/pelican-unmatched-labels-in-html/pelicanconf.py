AUTHOR = "Jonas Whitfield"
SITENAME = "Shelf Notes"
SITEURL = "https://shelf.example.org"
PATH = "content"
TIMEZONE = "Europe/Dublin"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
