AUTHOR = "Priya Raman"
SITENAME = "Estimator Notes"
SITEURL = "https://estimators.example.in"
PATH = "content"
TIMEZONE = "Asia/Kolkata"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
TYPOGRIFY = True
