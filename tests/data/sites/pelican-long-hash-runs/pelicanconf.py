AUTHOR = "Aiko Tanaka"
SITENAME = "Hash Marks"
SITEURL = "https://hash.example.jp"
PATH = "content"
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
