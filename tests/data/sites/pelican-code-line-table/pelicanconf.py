AUTHOR = "Siri Holm"
SITENAME = "Kiln Log"
SITEURL = "https://kiln.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False

# Line numbers in a column beside each block (linenums, as the extension's own option)
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight", "linenums": True},
        "markdown.extensions.extra": {},
    },
    "output_format": "html5",
}
