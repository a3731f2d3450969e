AUTHOR = "Oskar Lindqvist"
SITENAME = "Notebook Exports"
SITEURL = "https://exports.example.se"
PATH = "content"
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
