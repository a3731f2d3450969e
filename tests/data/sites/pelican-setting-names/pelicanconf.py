AUTHOR = "Hamid Rezaei"
SITENAME = "Build Logs"
SITEURL = "https://buildlogs.example.org"
PATH = "content"
# Settings named once and used again below
ZONE = "Asia/Tehran"
NOTES = "notes"
FALLBACK = "logbook"
TIMEZONE = ZONE
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = FALLBACK
ARTICLE_EXCLUDES = [NOTES]
PAGE_EXCLUDES = [NOTES]
FEED_DOMAIN = SITEURL
