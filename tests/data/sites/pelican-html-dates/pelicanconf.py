AUTHOR = "Ines Varga"
SITENAME = "Allotment Papers"
SITEURL = "https://allotment.example.org"
PATH = "content"
TIMEZONE = "Europe/Budapest"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
