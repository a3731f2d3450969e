AUTHOR = "Ines Tarn"
SITENAME = "Tarn Notebook"
SITEURL = "https://tarn.example.org"
PATH = "content"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
# Every article is a draft unless it says otherwise.
DEFAULT_METADATA = {"status": "draft"}
