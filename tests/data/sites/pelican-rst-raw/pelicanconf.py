AUTHOR = "Tor Vik"
SITENAME = "Weir Papers"
SITEURL = "https://weir.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
