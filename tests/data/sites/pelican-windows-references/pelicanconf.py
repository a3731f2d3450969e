AUTHOR = "Oda Lien"
SITENAME = "Pasted Prose"
SITEURL = "https://pasted.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
