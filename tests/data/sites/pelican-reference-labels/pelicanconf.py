AUTHOR = "Jon Rustad"
SITENAME = "Wrapped Labels"
SITEURL = "https://wrapped.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
