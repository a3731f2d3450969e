AUTHOR = "Ilse Brink"
SITENAME = "Sluice Log"
SITEURL = "https://sluice.example.org"
PATH = "content"
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "en"
PYGMENTS_RST_OPTIONS = {"linenos": "table"}
