AUTHOR = "Lin Wei"
SITENAME = "Tea House Notes"
SITEURL = "https://teahouse.example.cn"
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_PAGINATION = False
