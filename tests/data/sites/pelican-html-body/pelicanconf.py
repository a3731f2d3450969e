AUTHOR = "Aino Korhonen"
SITENAME = "Sauna Society"
SITEURL = "https://sauna.example.fi"
PATH = "content"
TIMEZONE = "Europe/Helsinki"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
