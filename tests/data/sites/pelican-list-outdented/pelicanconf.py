AUTHOR = "Giulia Marchetti"
SITENAME = "Quaderno di Calcolo"
SITEURL = "https://quaderno.example.it"
PATH = "content"
TIMEZONE = "Europe/Rome"
DEFAULT_LANG = "it"
DEFAULT_PAGINATION = False
