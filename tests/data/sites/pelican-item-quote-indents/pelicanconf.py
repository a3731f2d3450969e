AUTHOR = "Priya Castellanos"
SITENAME = "Podcast Log"
SITEURL = "https://podlog.example.com"
PATH = "content"
TIMEZONE = "America/Denver"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
