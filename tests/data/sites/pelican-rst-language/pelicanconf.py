AUTHOR = "Greta Haller"
SITENAME = "Almhütte Tagebuch"
SITEURL = "https://almhuette.example.org"
PATH = "content"
TIMEZONE = "Europe/Vienna"
# docutils reads and writes the reStructuredText files in German: admonitions, the table of
# contents and the bibliographic fields take German names
DEFAULT_LANG = "de"
