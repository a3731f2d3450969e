AUTHOR = "Odile Marchand"
SITENAME = "Carnet du Verger"
SITEURL = "https://verger.example.org"
PATH = "content"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
# docutils' smart quotes, in the documents' language: "quoted" becomes «quoted», "--" an en
# dash, "---" an em dash and "..." an ellipsis, in titles as in text
DOCUTILS_SETTINGS = {"smart_quotes": True}
