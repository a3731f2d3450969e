"""What the tests share, one home each; fixtures live in conftest.py, and no test module
imports another.

content     write and age files, the shared seed articles
feeds       parse feeds; RFC 4287's schema, JSON Feed rules, the W3C validator where present
server      a real `feedsvc serve` (LiveServer), raw HTTP, the `feedsvc` command
metrics     samples of /metrics
corpus      a small catalog as data, with expectations computed from it
site        the small site the page, browser and export tests read
readers     articles as feed readers see them; newsboat as a subscriber
media       PNG and MP3 bytes
generators  what Jekyll, Hugo and Pelican published, compared with feedsvc
websub      a subscriber and a recording hub for WebSub
postgres    a throwaway PostgreSQL server, run by an unprivileged user
"""
