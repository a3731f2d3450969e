AUTHOR = "Tove Lindqvist"
SITENAME = "Moraine Notes"
SITEURL = "https://moraine.example.org"
PATH = "content"
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
