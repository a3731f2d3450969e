AUTHOR = "Hedda Moe"
SITENAME = "Fence Posts"
SITEURL = "https://fence.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
