AUTHOR = "Per Vold"
SITENAME = "Spaced Steps"
SITEURL = "https://steps.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
