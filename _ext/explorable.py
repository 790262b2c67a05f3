"""Explorables: a figure with a control on the static page (issue 25), no kernel, no network.

The chapter computes every state of the figure in an executed cell (so nbval verifies the numbers)
and glues them, as JSON, under a key; a markdown cell writes::

    ::::{explorable} qa1_batch_frames
    :label: Batch size
    :unit: examples
    What the figure shows and what to try: its description (any paragraphs).

    :::{state}
    With batch size {value}, the minibatch gradients miss the full gradient by {spread} on average.
    :::

    - `grad_w1` the gradient's first component, $\\partial L / \\partial w_1$
    - `minibatch` minibatch gradients
    ::::

The glued JSON (``json.dumps(spec)``, glued with ``display=False`` in a hidden cell) holds numbers
only, never words::

    {"values": [1, 2, 5],            # the control's values, one frame each
     "start": 1,                     # the frame shown first (default 0)
     "panels": [{"x": "grad_w1", "y": "grad_w2",          # the word keys of the axes' names
                 "xlim": [-9, 9], "ylim": [-9, 9], "xlog": false, "ylog": false,
                 "series": [{"key": "minibatch", "kind": "points", "color": 0, "marker": "circle"},
                            {"key": "full", "kind": "points", "color": 1, "marker": "cross",
                             "data": [-1.9, 3.5]}]}],     # with "data": the same in every frame
     "frames": [{"text": {"spread": "9.66"},              # the {fields} of the state, as printed
                 "data": {"minibatch": [x0, y0, x1, y1]}}]}

A series is ``points`` (a flat list x0, y0, x1, y1, …), ``line`` or ``polygon`` (a list of such
lists, one per path); ``color`` is 0–5 (static/explorable.css), ``marker`` circle, square, triangle,
diamond or cross; ``"legend": false`` leaves it out of the legend; ``"context": "others"`` draws
every frame's data of the series faintly behind the current one, named by the word ``others``.

Every word the reader sees is in the page's markdown, so it goes through the message catalogs: the
control's ``:label:`` and ``:unit:``, the description, the ``{state}`` sentence (its ``{fields}``,
and ``{value}``, the control's value, are filled in from the current frame) and the list of words,
one ``key`` each, for the axes and the legend. The page gets a native ``<input type="range">`` with
its ``<label>`` (the value and unit as ``aria-valuetext``), the panels as SVG drawn by
``static/explorable.js`` (deferred, no library), the legend, and the state in a live region.
Without JavaScript, and in print, the explorable is hidden and the chapter's still figure, which it
follows, is the figure. A mistake (no glued frames, no label, a field or word missing) stops the
build with an error naming the page and what to write.

A sentence whose words, not only its numbers, change with the frame (say, whether a run converges or
diverges) is written as several ``{state}`` blocks, each with its own ``:case: key``; every frame
names the one it shows with ``"case": "key"`` (a key, like a series', never a word)::

    :::{state}
    :case: converges
    With the learning rate {value} the run converges: after 20 steps the loss is {loss}.
    :::
"""

from __future__ import annotations

import ast
import json
import re
from html import escape

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from site_text import translate as _

logger = logging.getLogger(__name__)

KINDS = ("points", "line", "polygon")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
COLORS = 6
FIELD = re.compile(r"\{(\w+)\}")
EXAMPLE = "`glue(\"{key}\", json.dumps(spec), display=False)`"


class explorable(nodes.General, nodes.Element):
    """One explorable: ``ids``, ``spec`` (the glued JSON text)."""


class explorable_label(nodes.General, nodes.Element):
    """The control's label (a paragraph)."""


class explorable_unit(nodes.General, nodes.Element):
    """The control's unit (a paragraph)."""


class explorable_state(nodes.General, nodes.Element):
    """The sentence that states the current value and what the figure shows, with ``{fields}``."""


class explorable_word(nodes.General, nodes.Element):
    """One word of the axes or the legend: ``key``; its paragraph begins with the key as code."""


class explorable_field(nodes.Inline, nodes.Element):
    """A ``{field}`` of the state: ``name``, ``text`` (its value in the first frame shown)."""


def inside_explorable(directive: SphinxDirective) -> bool:
    parent = getattr(directive.state_machine, "node", None)
    return isinstance(parent, nodes.Element) and bool(parent.get("explorable_body"))


class StateDirective(SphinxDirective):
    """``{state}``: the sentence a reader hears and reads after each move of the control."""

    has_content = True
    option_spec = {"case": directives.unchanged_required}

    def run(self):
        if not inside_explorable(self):
            raise self.error("a {state} belongs inside an {explorable} block: put it between "
                             "::::{explorable} and its closing ::::")
        node = explorable_state(case=self.options.get("case", "").strip())
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def check_spec(spec) -> str:
    """What is wrong with the glued frames, or ''."""
    if not isinstance(spec, dict) or not all(k in spec for k in ("values", "panels", "frames")):
        return 'the glued JSON needs "values", "panels" and "frames"'
    values, frames = spec["values"], spec["frames"]
    if not isinstance(values, list) or len(values) < 2 or len(frames) != len(values):
        return 'the glued JSON needs two or more "values" and one frame for each'
    if not isinstance(spec.get("start", 0), int) or not 0 <= spec.get("start", 0) < len(values):
        return f'"start" must be the index of a value, 0 to {len(values) - 1}'
    fields = set(frames[0].get("text", {}))
    keys = set()
    for p, panel in enumerate(spec["panels"]):
        for axis in ("x", "y"):
            if not isinstance(panel.get(axis), str):
                return f'panel {p} needs "{axis}": the key of its axis\'s name in the list of words'
            lim = panel.get(f"{axis}lim")
            if not (isinstance(lim, list) and len(lim) == 2 and lim[0] < lim[1]):
                return f'panel {p} needs "{axis}lim": [lowest, highest]'
        for series in panel.get("series", []):
            if series.get("kind") not in KINDS:
                return f"a series' \"kind\" is one of {', '.join(KINDS)}, not {series.get('kind')!r}"
            if not isinstance(series.get("key"), str) or series["key"] in keys:
                return 'every series needs its own "key"'
            keys.add(series["key"])
            if not (isinstance(series.get("color", 0), int) and 0 <= series.get("color", 0) < COLORS):
                return f'a series\' "color" is 0 to {COLORS - 1}'
            if series.get("marker", "circle") not in MARKERS:
                return f"a series' \"marker\" is one of {', '.join(MARKERS)}"
            if "data" not in series and any(series["key"] not in f.get("data", {}) for f in frames):
                return f'the series {series["key"]!r} has no "data": give it one, or one in every frame'
    for i, frame in enumerate(frames):
        if set(frame.get("text", {})) != fields:
            return f'frame {i} states other fields than frame 0: {sorted(fields)}'
    return ""


def words_needed(spec: dict) -> set[str]:
    """The keys of the words the page must give: axes, legend entries, context."""
    needed = set()
    for panel in spec["panels"]:
        needed |= {panel["x"], panel["y"]}
        for series in panel.get("series", []):
            if series.get("legend", True):
                needed.add(series["key"])
            if series.get("context"):
                needed.add(series["context"])
    return needed


def word_key(item: nodes.Element) -> str | None:
    """The key a list item of words begins with (`` `key` words``), or None."""
    paragraph = item.children[0] if item.children else None
    if isinstance(paragraph, nodes.paragraph) and paragraph.children and isinstance(paragraph[0], nodes.literal):
        return paragraph[0].astext()
    return None


class ExplorableDirective(SphinxDirective):
    """``{explorable} key``: the description, its ``{state}`` and the list of words."""

    has_content = True
    optional_arguments = 1
    option_spec = {"label": directives.unchanged_required, "unit": directives.unchanged_required}

    def run(self):
        key = self.arguments[0].strip() if self.arguments else ""
        if not key:
            raise self.error("an explorable needs the glue key of its frames: `::::{explorable} key`, "
                             "where a hidden cell runs " + EXAMPLE.format(key="key"))
        spec_text = self._glued(key)
        try:
            spec = json.loads(spec_text)
        except ValueError as error:
            raise self.error(f"the glue key {key!r} holds no JSON ({error}): glue the frames as "
                             + EXAMPLE.format(key=key)) from None
        problem = check_spec(spec)
        if problem:
            raise self.error(f"the frames glued as {key!r}: {problem}")
        label = self.options.get("label", "").strip()
        if not label:
            raise self.error("an explorable needs a :label: for its control, the quantity it sets "
                             "(e.g. `:label: Batch size`), and an optional :unit:")
        body = nodes.container(explorable_body=True)
        self.state.nested_parse(self.content, self.content_offset, body)
        node = explorable(ids=[nodes.make_id(key)], spec=json.dumps(spec, separators=(",", ":")))
        self.set_source_info(node)
        node += self._paragraph(explorable_label(), label)
        if "unit" in self.options:
            node += self._paragraph(explorable_unit(), self.options["unit"].strip())
        states, words, caption = [], [], nodes.container(classes=["ex-caption"])
        for child in body.children:
            if isinstance(child, explorable_state):
                states.append(child)
            elif isinstance(child, nodes.bullet_list) and all(word_key(i) for i in child.children):
                for item in child.children:
                    word = explorable_word(key=word_key(item))
                    word += item.children
                    words.append(word)
            else:
                caption += child
        if not states:
            raise self.error("an explorable needs one {state} block: the sentence that says the control's "
                             "value and what the figure shows, with {fields} of the frames, e.g. {value}")
        cases = [state["case"] for state in states]
        shown = [frame.get("case") for frame in spec["frames"]]
        if len(states) > 1 or any(cases) or any(case is not None for case in shown):
            if not all(cases) or len(set(cases)) != len(cases):
                raise self.error("an explorable with several {state} blocks gives each its own `:case: key`, "
                                 'and each frame of the glued JSON names the one it shows, `"case": "key"`')
            unknown = sorted({str(case) for case in shown} - set(cases))
            if unknown:
                raise self.error(f"the frames show the case {', '.join(unknown)}, which no {{state}} has: give "
                                 f'every frame a "case" of {", ".join(cases)}')
        if not caption.children:
            raise self.error("an explorable needs its description: what the figure shows and what to "
                             "try, in paragraphs before the {state} block")
        fields = set(spec["frames"][0].get("text", {})) | {"value"}
        unknown = sorted({f for state in states for f in FIELD.findall(state.astext())} - fields)
        if unknown:
            raise self.error(f"the {{state}} names {', '.join(unknown)}, which the frames do not state: "
                             f"use {', '.join('{' + f + '}' for f in sorted(fields))}")
        given = [w["key"] for w in words]
        missing = sorted(words_needed(spec) - set(given))
        if missing:
            raise self.error("the explorable has no words for " + ", ".join(missing) + ": add a list item "
                             "for each after the {state} block, such as `- `" + missing[0] + "` its name`")
        extra = sorted(set(given) - words_needed(spec))
        if extra:
            raise self.error(f"the list of words names {', '.join(extra)}, which no axis or series uses")
        node += [*states, *words, caption]
        return [node]

    def _paragraph(self, holder: nodes.Element, text: str) -> nodes.Element:
        paragraph = nodes.paragraph(text, text)
        self.set_source_info(paragraph)
        holder += paragraph
        return holder

    def _glued(self, key: str) -> str:
        from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data

        try:
            data = retrieve_glue_data(self.state.document, key).data
        except RetrievalError:
            raise self.error(f"the explorable names the glue key {key!r}, which this page does not glue: "
                             "add " + EXAMPLE.format(key=key) + " to a hidden cell") from None
        text = data.get("text/plain", "").strip()
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = text
        return value if isinstance(value, str) else text


# HTML --------------------------------------------------------------------------------------------

def write_phrasing(self, node: nodes.Element, skip_key: bool = False) -> None:
    """A node's paragraphs as their inline content; with ``skip_key``, without the leading `key`."""
    for child in node.children:
        parts = list(child.children) if isinstance(child, nodes.paragraph) else [child]
        if skip_key and parts and isinstance(parts[0], nodes.literal):
            parts = parts[1:]
            if parts and isinstance(parts[0], nodes.Text):
                parts[0] = nodes.Text(str(parts[0]).lstrip())
        for part in parts:
            part.walkabout(self)
        skip_key = False


def swatch(series: dict) -> str:
    """The legend's picture of a series, as the script draws it."""
    color, kind = series.get("color", 0), series["kind"]
    if series.get("faint"):
        shape = '<path class="ex-line ex-context" d="M2 8H22"/>'
    elif kind == "polygon":
        shape = f'<rect class="ex-fill ex-c{color}" x="2" y="3" width="20" height="10"/>'
    elif kind == "line":
        shape = f'<path class="ex-line ex-c{color}" d="M2 8H22"/>'
    else:
        marker = series.get("marker", "circle")
        shape = f'<path class="ex-points ex-c{color} ex-m-{marker}" d="{marker_path(marker, 12, 8, 4)}"/>'
    return f'<svg class="ex-key" viewBox="0 0 24 16" width="24" height="16" aria-hidden="true">{shape}</svg>'


def marker_path(marker: str, x: float, y: float, r: float) -> str:
    """The SVG path of a marker (the same shapes as static/explorable.js draws)."""
    if marker == "square":
        return f"M{x - r} {y - r}h{2 * r}v{2 * r}h{-2 * r}Z"
    if marker == "triangle":
        return f"M{x} {y - r}L{x + r} {y + r * 0.8}H{x - r}Z"
    if marker == "diamond":
        return f"M{x} {y - r}L{x + r} {y}L{x} {y + r}L{x - r} {y}Z"
    if marker == "cross":
        return f"M{x - r} {y - r}L{x + r} {y + r}M{x - r} {y + r}L{x + r} {y - r}"
    return f"M{x - r} {y}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0"


def fill_fields(state: nodes.Element, frame: dict) -> None:
    """Each ``{field}`` of the state's text (not of its formulas or code) as a node the script updates."""
    for text in list(state.findall(nodes.Text)):
        if isinstance(text.parent, (nodes.math, nodes.literal, nodes.FixedTextElement, nodes.raw)):
            continue
        pieces = FIELD.split(str(text))
        if len(pieces) == 1:
            continue
        replacement = []
        for i, piece in enumerate(pieces):
            if i % 2:
                if piece not in frame:
                    logger.warning(f"the explorable's {{state}} names {{{piece}}}, which its frames do not state "
                                   f"(a translation must keep the {{fields}} of the English text)",
                                   location=state, type="explorable", subtype="field")
                replacement.append(explorable_field(name=piece, text=frame.get(piece, "")))
            elif piece:
                replacement.append(nodes.Text(piece))
        text.parent.replace(text, replacement)


def visit_explorable(self, node: explorable) -> None:
    spec = json.loads(node["spec"])
    ident, start = node["ids"][0], spec.get("start", 0)
    frame = {**spec["frames"][start].get("text", {}), "value": str(spec["values"][start])}
    words = {w["key"]: w for w in node.findall(explorable_word)}
    unit = next(node.findall(explorable_unit), None)
    unit_text = unit.astext().strip() if unit is not None else ""
    self.body.append(self.starttag(node, "div", CLASS="explorable", hidden="hidden"))
    self.body.append(f'<p class="ex-title">{escape(_("Interactive figure"))}</p>\n<div class="ex-control">'
                     f'<label for="{ident}-input">')
    write_phrasing(self, next(node.findall(explorable_label)))
    valuetext = f"{frame['value']} {unit_text}".strip()
    self.body.append(f'</label> <input type="range" id="{ident}-input" min="0" max="{len(spec["values"]) - 1}" '
                     f'step="1" value="{start}" aria-valuetext="{escape(valuetext)}" '
                     f'aria-describedby="{ident}-caption"> <span class="ex-value">'
                     f'<span class="ex-field" data-field="value">{escape(frame["value"])}</span>')
    if unit is not None:
        self.body.append(' <span class="ex-unit">')
        write_phrasing(self, unit)
        self.body.append("</span>")
    self.body.append("</span></div>\n<div class=\"ex-panels\">")
    for p, panel in enumerate(spec["panels"]):
        self.body.append('<div class="ex-panel"><div class="ex-axis ex-y">')
        write_phrasing(self, words[panel["y"]], skip_key=True)
        self.body.append(f'</div><svg class="ex-plot" id="{ident}-panel{p}" viewBox="0 0 320 240" role="img" '
                         f'aria-labelledby="{ident}-state"></svg><div class="ex-axis ex-x">')
        write_phrasing(self, words[panel["x"]], skip_key=True)
        self.body.append("</div></div>")
    self.body.append("</div>\n")
    legend = [(series, series["key"]) for panel in spec["panels"] for series in panel.get("series", [])
              if series.get("legend", True)]
    legend += [({"kind": "line", "faint": True}, series["context"]) for panel in spec["panels"]
               for series in panel.get("series", []) if series.get("context")]
    if legend:
        self.body.append('<ul class="ex-legend">')
        for series, key in legend:
            self.body.append(f"<li>{swatch(series)} ")
            write_phrasing(self, words[key], skip_key=True)
            self.body.append("</li>")
        self.body.append("</ul>\n")
    self.body.append(f'<div class="ex-state" id="{ident}-state" role="status" aria-live="polite">')
    for state in list(node.findall(explorable_state)):
        fill_fields(state, frame)
        case = state.get("case")
        if case:  # one sentence per case: the script shows the current frame's
            hidden = "" if case == spec["frames"][start].get("case") else ' hidden="hidden"'
            self.body.append(f'<div class="ex-case" data-case="{escape(case)}"{hidden}>')
        for child in state.children:
            child.walkabout(self)
        if case:
            self.body.append("</div>")
    self.body.append(f'</div>\n<div class="ex-caption" id="{ident}-caption">')
    for child in node.children[-1].children:
        child.walkabout(self)
    data = node["spec"].replace("<", "\\u003c")
    self.body.append(f'</div>\n<script type="application/json" class="ex-data">{data}</script>\n</div>\n')
    raise nodes.SkipNode


def visit_field(self, node: explorable_field) -> None:
    self.body.append(f'<span class="ex-field" data-field="{escape(node["name"])}">{escape(node["text"])}</span>')
    raise nodes.SkipNode


def skip(self, node) -> None:
    raise nodes.SkipNode


def _page_assets(app, pagename, templatename, context, doctree) -> None:
    if doctree is not None and next(doctree.findall(explorable), None) is not None:
        app.add_css_file("explorable.css")
        app.add_js_file("explorable.js", loading_method="defer")


HTML_NODES = {explorable: (visit_explorable, None), explorable_field: (visit_field, None)}
OTHER_NODES = (explorable_label, explorable_unit, explorable_state, explorable_word)


def setup(app):
    app.setup_extension("site_text")
    for node, html in HTML_NODES.items():
        app.add_node(node, html=html, latex=(skip, None), text=(skip, None), man=(skip, None), texinfo=(skip, None))
    for node in OTHER_NODES:
        app.add_node(node, html=(skip, None), latex=(skip, None), text=(skip, None), man=(skip, None),
                     texinfo=(skip, None))
    app.add_directive("explorable", ExplorableDirective)
    app.add_directive("state", StateDirective)
    app.setup_extension("site_static")
    app.connect("html-page-context", _page_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
