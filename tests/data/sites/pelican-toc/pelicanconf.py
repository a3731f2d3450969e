AUTHOR = "Ragna Foss"
SITENAME = "Scarp Field Notes"
SITEURL = "https://scarp.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False

# Headings with a permanent link after them, and [TOC] for a table of contents
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": True, "title": "On this page", "toc_depth": "2-3"},
    },
    "output_format": "html5",
}
