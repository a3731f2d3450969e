AUTHOR = "Eli Brekke"
SITENAME = "Shell Margins"
SITEURL = "https://margins.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
