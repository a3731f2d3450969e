AUTHOR = "Bruno Costa"
SITENAME = "Imported Posts"
SITEURL = "https://imported.example.br"
PATH = "content"
TIMEZONE = "America/Sao_Paulo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
