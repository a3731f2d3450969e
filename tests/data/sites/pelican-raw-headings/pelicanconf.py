AUTHOR = "Lucía Ferrer"
SITENAME = "Taller de Herramientas"
SITEURL = "https://taller.example.es"
PATH = "content"
TIMEZONE = "Europe/Madrid"
DEFAULT_LANG = "es"
DEFAULT_PAGINATION = False

# Permanent links after headings, and [TOC] for a table of contents
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": True},
    },
    "output_format": "html5",
}
