AUTHOR = "Tomas Lindqvist"
SITENAME = "Quoted Lines"
SITEURL = "https://quoted.example.se"
PATH = "content"
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "sv"
DEFAULT_PAGINATION = False
