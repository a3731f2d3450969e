AUTHOR = "Ilse Brandt"
SITENAME = "Orchard Ledger"
SITEURL = "https://orchard.example.org"
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_PAGINATION = False
