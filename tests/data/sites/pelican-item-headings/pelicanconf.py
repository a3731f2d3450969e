AUTHOR = "Jonas Berg"
SITENAME = "Setup Steps"
SITEURL = "https://steps.example.dk"
PATH = "content"
TIMEZONE = "Europe/Copenhagen"
DEFAULT_LANG = "da"
DEFAULT_PAGINATION = False
