AUTHOR = "Rafael Ortiz"
SITENAME = "Router Tables"
SITEURL = "https://tables.example.mx"
PATH = "content"
TIMEZONE = "America/Mexico_City"
DEFAULT_LANG = "es"
DEFAULT_PAGINATION = False
PLUGINS = ["pelican_just_table"]
