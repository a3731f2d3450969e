AUTHOR = "Petra Novak"
SITENAME = "Terminal Diary"
SITEURL = "https://diary.example.cz"
PATH = "content"
TIMEZONE = "Europe/Prague"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
