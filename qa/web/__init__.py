"""The web UI (Gradio): the page (:mod:`qa.web.app`), what it does (:mod:`qa.web.backend`) and how it
shows answers (:mod:`qa.web.render`). The library never imports this package."""

from qa.web.app import build_app, launch
from qa.web.backend import Backend, safe_file_name
from qa.web.render import highlight, passages_html

__all__ = ["Backend", "build_app", "highlight", "launch", "passages_html", "safe_file_name"]
