AUTHOR = "Olu Adeyemi"
SITENAME = "Lab Rack Notes"
SITEURL = "https://rack.example.ng"
PATH = "content"
TIMEZONE = "Africa/Lagos"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
