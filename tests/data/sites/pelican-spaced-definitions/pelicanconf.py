AUTHOR = "Zhou Ming"
SITENAME = "Library Shelf"
SITEURL = "https://shelf.example.cn"
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_PAGINATION = False
