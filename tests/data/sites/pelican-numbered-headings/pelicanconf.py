AUTHOR = "Siri Lund"
SITENAME = "Numbered Sections"
SITEURL = "https://sections.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
