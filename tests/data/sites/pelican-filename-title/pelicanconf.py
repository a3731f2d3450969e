AUTHOR = "Mira Tveit"
SITENAME = "Skerry Diary"
SITEURL = "https://skerry.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
USE_FOLDER_AS_CATEGORY = True
# A file without a Title is titled by its name, as many sites set it up
FILENAME_METADATA = r"(?P<title>.*)"
