AUTHOR = "Nils Ask"
SITENAME = "Lathe Notes"
SITEURL = "https://lathe.example.no"
PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False

# Written with dict(), as many sites write it; every code block's lines numbered inline
MARKDOWN = dict(
    extension_configs={
        "markdown.extensions.codehilite": dict(css_class="highlight", linenos="inline", guess_lang=False),
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
    },
    output_format="html5",
)
