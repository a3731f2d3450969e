AUTHOR = "Dana Reyes"
SITENAME = "Exported Lessons"
SITEURL = "https://exported.example.org"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_PAGINATION = False
