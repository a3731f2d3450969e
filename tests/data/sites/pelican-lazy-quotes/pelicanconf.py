AUTHOR = "Sunniva Berg"
SITENAME = "Quoted Margins"
SITEURL = "https://quoted.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
