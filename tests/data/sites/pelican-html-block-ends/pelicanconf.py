AUTHOR = "Kenji Mori"
SITENAME = "Server Notebook"
SITEURL = "https://notebook.example.jp"
PATH = "content"
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "ja"
DEFAULT_PAGINATION = False
