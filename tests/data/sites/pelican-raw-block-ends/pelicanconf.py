AUTHOR = "Tomasz Wrona"
SITENAME = "Widget Workshop"
SITEURL = "https://widgets.example.pl"
PATH = "content"
TIMEZONE = "Europe/Warsaw"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
