AUTHOR = "Ingrid Holm"
SITENAME = "Quoted Titles"
SITEURL = "https://titles.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
