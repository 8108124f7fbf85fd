"""Pictures in a notebook, light: the drawing libraries travel once per notebook, not once per
picture.

A picture in Jupyter is an iframe (``srcdoc``: the page, with its own Content Security Policy,
sandboxed without the notebook's origin) holding the page's data, style and view.js but not
the vendored libraries (~490 KB). The first picture a kernel shows puts, before its iframe,
one ``<script>`` that keeps the libraries in the notebook's window (``window.imidgraphLibraries``,
keyed by their hash, set once: a second copy is ignored) and answers the iframes that ask for
them. Each iframe asks its parent with ``postMessage`` until it is answered, then runs the
libraries and view.js as inline scripts whose hashes its policy lists (so nothing else runs).

What a notebook keeps: every output's HTML. Reopened (a trusted notebook) or exported to HTML
(nbconvert), the outputs run in the order of the page, so the first picture's script runs and
every later picture finds the libraries. If the output that carried them is gone (cleared, or
its cell re-run in the same kernel), a later picture says so in its frame, and
``display(notebook_libraries())`` in any cell brings them back (the pictures keep asking).
"""

from __future__ import annotations

import hashlib
import json

from .page import vendor_scripts

# the key the libraries are kept and asked for under: the hash of what they are
_sent: set[str] = set()

MISSING = (
    "The drawing libraries are not in this notebook (the output that carried them was cleared "
    "or re-run): run `from imidgraph.view.notebook import notebook_libraries; notebook_libraries()` "
    "in a cell, or re-run this cell after restarting the kernel."
)

# Runs inside the iframe: ask the parent for the libraries (every 200 ms, then every 2 s once
# the missing note is shown), then run them and view.js in order.
_LOADER = """(function () {
  var key = %(key)s, done = false, asked = 0;
  function run(libraries) {
    if (done) return;
    done = true;
    var note = document.getElementById("imidgraph-missing");
    if (note) note.remove();
    libraries.concat([document.getElementById("imidgraph-view-js").textContent]).forEach(function (text) {
      var script = document.createElement("script");
      script.textContent = text;
      document.body.appendChild(script);
    });
  }
  window.addEventListener("message", function (ev) {
    if (ev.source === window.parent && ev.data && ev.data.imidgraphKey === key) run(ev.data.imidgraphLibraries);
  });
  function ask() {
    if (done) return;
    asked += 1;
    if (asked === 25) {
      var note = document.createElement("p");
      note.id = "imidgraph-missing";
      note.textContent = %(missing)s;
      document.body.insertBefore(note, document.body.firstChild);
      document.body.setAttribute("data-missing", "libraries");
    }
    window.parent.postMessage({imidgraphWants: key}, "*");
    setTimeout(ask, asked < 25 ? 200 : 2000);
  }
  ask();
})();"""

# Runs in the notebook's window, once per kernel's first picture (and on request).
_KEEPER = """(function () {
  var kept = window.imidgraphLibraries = window.imidgraphLibraries || {};
  if (!kept[%(key)s]) kept[%(key)s] = %(libraries)s;
  if (window.imidgraphAnswers) return;
  window.imidgraphAnswers = true;
  window.addEventListener("message", function (ev) {
    var key = ev.data && ev.data.imidgraphWants;
    if (key && kept[key] && ev.source) ev.source.postMessage({imidgraphKey: key, imidgraphLibraries: kept[key]}, "*");
  });
})();"""


def _js(value) -> str:
    """A JavaScript literal that cannot end its <script> element early."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def libraries_key() -> str:
    return hashlib.sha256("\0".join(vendor_scripts()).encode("utf-8")).hexdigest()[:16]


def loader() -> str:
    """The iframe's script that brings the libraries (see the module's docstring)."""
    return _LOADER % {"key": _js(libraries_key()), "missing": _js(MISSING)}


def libraries_html() -> str:
    """The one ``<script>`` that keeps the libraries in the notebook's window."""
    script = _KEEPER % {"key": _js(libraries_key()), "libraries": _js(vendor_scripts())}
    return f'<script class="imidgraph-libraries">{script}</script>'


class NotebookLibraries:
    """Shows the libraries' script in a notebook (``display(notebook_libraries())``)."""

    def _repr_html_(self) -> str:
        _sent.add(libraries_key())
        return libraries_html()

    def __repr__(self) -> str:
        return "imidgraph drawing libraries (shown in a notebook, they serve its pictures)"


def notebook_libraries() -> NotebookLibraries:
    return NotebookLibraries()


def reset() -> None:
    """Forget that this kernel has shown the libraries: the next picture carries them again."""
    _sent.clear()


def srcdoc(page: str) -> str:
    """The page as a single-quoted attribute value: only ``&`` and ``'`` need a reference there
    (escaping every ``"`` of the page's data, as ``html.escape`` does, made it half as large again)."""
    return page.replace("&", "&amp;").replace("'", "&#39;")


def notebook_html(page: str, height: int = 640) -> str:
    """A page for Jupyter's output: an iframe whose ``srcdoc`` is the page, so that the page
    keeps its own policy and script apart from the notebook's. A page made with
    :func:`loader` gets its libraries from the notebook: the first such picture of the kernel
    carries them (:func:`libraries_html`) before its iframe."""
    frame = (
        f"<iframe class=\"imidgraph\" srcdoc='{srcdoc(page)}' "
        f'style="width: 100%; height: {height}px; border: 1px solid #dde1e6;" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        'title="imidgraph picture"></iframe>'
    )
    if 'id="imidgraph-view-js"' not in page:
        return frame  # a self-contained page
    key = libraries_key()
    if key in _sent:
        return frame
    _sent.add(key)
    return libraries_html() + frame
