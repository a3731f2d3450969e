AUTHOR = "Tove Strand"
SITENAME = "Bold Labels"
SITEURL = "https://bold.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
