AUTHOR = "Tomasz Reyes"
SITENAME = "Imported Notes"
SITEURL = "https://notes.example.net"
PATH = "content"
TIMEZONE = "America/Chicago"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
