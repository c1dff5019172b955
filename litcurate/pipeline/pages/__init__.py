"""The HTML pages: the diff page and a curator's review page, and what they share."""
