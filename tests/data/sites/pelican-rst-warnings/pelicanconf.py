AUTHOR = "Oda Lie"
SITENAME = "Cairn Records"
SITEURL = "https://cairn.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
