AUTHOR = "Ida Strand"
SITENAME = "Listed Listings"
SITEURL = "https://listed.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
