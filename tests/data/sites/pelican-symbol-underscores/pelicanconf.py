AUTHOR = "Mira Castell"
SITENAME = "Release Radar"
SITEURL = "https://radar.example.es"
PATH = "content"
TIMEZONE = "Europe/Madrid"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
