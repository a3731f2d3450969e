AUTHOR = "Kaito Brennan"
SITENAME = "Listening Log"
SITEURL = "https://listening.example.com"
PATH = "content"
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
