AUTHOR = "Ngozi Eze"
SITENAME = "Margin Notes"
SITEURL = "https://margins.example.ng"
PATH = "content"
TIMEZONE = "Africa/Lagos"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
