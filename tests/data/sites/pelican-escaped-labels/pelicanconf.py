AUTHOR = "Sander Vik"
SITENAME = "Escaped Labels"
SITEURL = "https://labels.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
