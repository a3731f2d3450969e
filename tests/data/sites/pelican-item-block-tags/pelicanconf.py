AUTHOR = "Morag Lindqvist"
SITENAME = "Field Notes"
SITEURL = "https://fieldnotes.example.org"
PATH = "content"
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
