"""The web app: server-rendered pages over the same library calls as the JSON API.

Why server-rendered: a traveller, an NGO worker or a border guard should be able to use it on
any phone, offline from the wider internet (no CDN, no external fonts, no framework), and by
keyboard. Every page links to its JSON twin in /v1. Modules: `pages` (the router), one module
per page (`check_page`, `where_page`, `stay_page`, `country_pages`), `forms` (form fields to the
library's JSON, and errors back to fields), `worldmap` (the SVG map), `templating` (Jinja2),
`static` (CSS and one small script).
"""
