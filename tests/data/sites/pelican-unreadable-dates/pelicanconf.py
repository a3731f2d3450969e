AUTHOR = "Hanne Berg"
SITENAME = "Pending Dates"
SITEURL = "https://pending.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
