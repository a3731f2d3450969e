AUTHOR = "Ines Varga"
SITENAME = "Bench Results"
SITEURL = "https://bench.example.hu"
PATH = "content"
TIMEZONE = "Europe/Budapest"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
