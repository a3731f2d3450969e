AUTHOR = "Lena Marchetti"
SITENAME = "Stray Tags"
SITEURL = "https://stray.example.net"
PATH = "content"
TIMEZONE = "Europe/Rome"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
