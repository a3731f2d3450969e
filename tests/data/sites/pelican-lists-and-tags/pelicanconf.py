AUTHOR = "Oda Brekke"
SITENAME = "Scree Ledger"
SITEURL = "https://scree.example.org"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
