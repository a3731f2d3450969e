AUTHOR = "Aiko Lunde"
SITENAME = "Moss Ledger"
SITEURL = "https://moss.example.no"
PATH = "content"
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
# An article without a date is dated by its file's modification time
DEFAULT_DATE = "fs"
