"""Server-rendered public pages (Jinja2) and their static assets; every page has a .json twin."""
