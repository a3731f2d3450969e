AUTHOR = "Rafael Costa"
SITENAME = "Harbour Radio Notes"
SITEURL = "https://harbour-radio.example.org"
PATH = "content"
TIMEZONE = "America/Sao_Paulo"
DEFAULT_LANG = "en"
# smarty: curly quotes, dashes and ellipses; a backslash escapes quotes too
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}
