AUTHOR = "Ines Varga"
SITENAME = "Workbench Diary"
SITEURL = "https://workbench.example.hu"
PATH = "content"
TIMEZONE = "Europe/Budapest"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
