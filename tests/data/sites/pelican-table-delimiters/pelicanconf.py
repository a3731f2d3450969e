AUTHOR = "Marta Kowalczyk"
SITENAME = "Browser Grid"
SITEURL = "https://grid.example.pl"
PATH = "content"
TIMEZONE = "Europe/Warsaw"
DEFAULT_LANG = "pl"
DEFAULT_PAGINATION = False
