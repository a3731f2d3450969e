AUTHOR = "Ana Pereira"
SITENAME = "Caderno Importado"
SITEURL = "https://caderno.example.pt"
PATH = "content"
TIMEZONE = "Europe/Lisbon"
DEFAULT_LANG = "pt"
DEFAULT_PAGINATION = False
