"""Quick checks: a question with instant feedback on the static page (issue 23), no kernel, no network.

An author writes, in a chapter's markdown cell::

    ::::{quick-check}
    :label: lr-qc-half
    The question, with $math$ and {glue:text}`name:.2f` values.
    :::{choice}
    :correct:
    An option.

    Why it is right: the explanation shown once the reader has answered.
    :::
    :::{choice}
    Another option.

    The misconception it stands for.
    :::
    ::::

One ``:correct:`` choice gives radio buttons, several give checkboxes. ``:kind: number`` asks for a
number instead: ``:answer:`` (a number, or the glued value ``{glue}`key```), ``:tolerance:`` (absolute,
or relative as ``1%``), an optional ``:unit:``, and its explanation in an ``{explanation}`` block.
Every sentence (question, option, explanation, unit) is an ordinary paragraph, so it goes through
the message catalogs like the rest of the page.

The page gets native form controls in a ``<fieldset>`` with a ``<legend>`` and ``<label>``s, a
feedback region (``aria-live``) and, after the form, the answer with every explanation in a
``<details>`` fold: without JavaScript (or in print, ``static/quick-check.css``) that is the whole
quick check. ``static/quick-check.js`` (deferred, no library) shows the Check button and answers a
check with its verdict and the explanations of the chosen options. The button's and messages' words
come from ``site_text.py``, so each edition speaks its own language. Assets are added only to pages
that hold a quick check.
"""

from __future__ import annotations

import json
import re
from html import escape

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from site_text import translate as _

KINDS = ("choice", "number")
GLUE = re.compile(r"^\{glue(?::text)?\}`(?P<key>[^`:]+)(?::[^`]*)?`$")
TOLERANCE = re.compile(r"^(?P<value>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)\s*(?P<percent>%?)$")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class quick_check(nodes.General, nodes.Element):
    """One quick check: ``kind``, ``ids``; numbers: ``answer``, ``answer_text``, ``tolerance``, ``relative``."""


class quick_check_question(nodes.General, nodes.Element):
    """The question's paragraphs."""


class quick_check_choice(nodes.General, nodes.Element):
    """One option's text; ``index``, ``correct``, ``multiple``."""


class quick_check_number(nodes.General, nodes.Element):
    """The numeric input; holds the unit's paragraph, if any."""


class quick_check_answer(nodes.General, nodes.Element):
    """The fold with the answer: a ``quick_check_explanation`` per option (one for a number)."""


class quick_check_explanation(nodes.General, nodes.Element):
    """Why an option is right or wrong (``index``, ``correct``), or how the number is found."""


def inside_quick_check(directive: SphinxDirective) -> bool:
    """Whether the directive is being parsed as part of a ``{quick-check}`` block's body."""
    parent = getattr(directive.state_machine, "node", None)
    return isinstance(parent, nodes.Element) and bool(parent.get("quick_check_body"))


class ChoiceDirective(SphinxDirective):
    """``{choice}``: an option (its first paragraph) and its explanation (the rest)."""

    has_content = True
    option_spec = {"correct": directives.flag}

    def run(self):
        if not inside_quick_check(self):
            raise self.error("a {choice} belongs inside a {quick-check} block: put it between "
                             "::::{quick-check} and its closing ::::")
        node = quick_check_choice(correct="correct" in self.options)
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ExplanationDirective(SphinxDirective):
    """``{explanation}``: how a numeric quick check's answer is found."""

    has_content = True

    def run(self):
        if not inside_quick_check(self):
            raise self.error("an {explanation} belongs inside a {quick-check} block with :kind: number")
        node = quick_check_explanation(correct=True)
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class QuickCheckDirective(SphinxDirective):
    """``{quick-check}``: the question, then its ``{choice}`` blocks or its ``{explanation}``."""

    has_content = True
    option_spec = {
        "label": directives.unchanged_required,
        "kind": directives.unchanged_required,
        "answer": directives.unchanged_required,
        "tolerance": directives.unchanged_required,
        "unit": directives.unchanged_required,
    }

    def run(self):
        label = self.options.get("label", "").strip()
        if not label:
            raise self.error("a quick check needs a :label: (e.g. `:label: lr-qc-half`), unique in the book")
        kind = self.options.get("kind", "choice").strip()
        if kind not in KINDS:
            raise self.error(f"unknown quick-check kind {kind!r}: write `:kind: choice` (the default, "
                             "with {choice} blocks) or `:kind: number` (with :answer: and :tolerance:)")
        body = nodes.container(quick_check_body=True)
        self.state.nested_parse(self.content, self.content_offset, body)
        node = quick_check(kind=kind, ids=[nodes.make_id(label)])
        self.set_source_info(node)
        question = quick_check_question()
        answer = quick_check_answer(kind=kind)
        if kind == "choice":
            options = self._choices(body, question, answer)
            node += [question, *options, answer]
        else:
            node.update_all_atts(self._number())
            for child in body.children:
                (answer if isinstance(child, quick_check_explanation) else question).append(child)
            if not answer.children:
                raise self.error("a quick check of kind number needs its {explanation} block: "
                                 "how the answer is found, in one to three sentences")
            number = quick_check_number()
            if "unit" in self.options:
                unit = nodes.paragraph(self.options["unit"].strip(), self.options["unit"].strip())
                self.set_source_info(unit)
                number += unit
            node += [question, number, answer]
        if not question.children:
            raise self.error("a quick check needs its question: write it before the first {choice}")
        return [node]

    def _choices(self, body, question, answer) -> list[quick_check_choice]:
        choices = []
        for child in body.children:
            if isinstance(child, quick_check_choice):
                choices.append(child)
            elif choices:
                raise self.error("a quick check's question comes before its {choice} blocks; "
                                 "text between or after them belongs inside a choice")
            else:
                question.append(child)
        if len(choices) < 2:
            raise self.error("a quick check of kind choice needs at least two {choice} blocks")
        correct = [c for c in choices if c["correct"]]
        if not correct:
            raise self.error("no choice is marked correct: add `:correct:` on the line after "
                             ":::{choice} of each right option")
        for index, choice in enumerate(choices):
            if len(choice.children) < 2:
                raise self.error(f"choice {LETTERS[index]} has no explanation: after the option's "
                                 "paragraph, add a blank line and why it is right or the misconception it stands for")
            choice["index"], choice["multiple"] = index, len(correct) > 1
            explanation = quick_check_explanation(index=index, correct=choice["correct"])
            explanation += choice.children[1:]
            del choice.children[1:]
            answer += explanation
        return choices

    def _number(self) -> dict:
        if "answer" not in self.options:
            raise self.error("a quick check of kind number needs its :answer: — a glued value "
                             "(`:answer: {glue}`key``) or a number — and a :tolerance:")
        if "tolerance" not in self.options:
            raise self.error("a quick check of kind number needs a :tolerance: (e.g. `:tolerance: 0.005` "
                             "or `:tolerance: 1%`): how far from the answer a reader's number may be")
        text = self.options["answer"].strip()
        glued = GLUE.match(text)
        if glued:
            text = self._glued(glued["key"])
        try:
            answer = float(text.replace(",", ""))
        except ValueError:
            raise self.error(f"the :answer: {text!r} is not a number: write a number or a glued "
                             "value, `:answer: {glue}`key``") from None
        tolerance = TOLERANCE.match(self.options["tolerance"].strip())
        if not tolerance:
            raise self.error(f"the :tolerance: {self.options['tolerance']!r} is not a positive number "
                             "or percentage: write e.g. `0.005` or `1%`")
        return {"answer": answer, "answer_text": text, "tolerance": float(tolerance["value"]),
                "relative": bool(tolerance["percent"])}

    def _glued(self, key: str) -> str:
        from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data

        try:
            data = retrieve_glue_data(self.state.document, key).data
        except RetrievalError:
            raise self.error(f"the :answer: names the glue key {key!r}, which this page does not glue: "
                             f"add `glue({key!r}, round(value, 3), display=False)` to a hidden cell") from None
        return data.get("text/plain", "").strip().strip("'\"")


# HTML --------------------------------------------------------------------------------------------

def messages(kind: str) -> dict[str, str]:
    """The words the script writes, in the edition's language."""
    words = {"correct": _("Correct."), "wrong": _("Not quite."), "partial": _("Partly right."),
             "choose": _("Choose an option first.")}
    if kind == "number":
        words.update({"number": _("Type a number, such as 0.25."),
                      "unit": _("The answer is in {unit}: type the number alone, such as 0.25."),
                      "empty": _("Type your answer first."),
                      "retry": _("Not quite: try again, or open the answer below.")})
    return words


def visit_quick_check(self, node: quick_check) -> None:
    ident = node["ids"][0]
    attributes = {"data-kind": node["kind"], "data-messages": json.dumps(messages(node["kind"]), ensure_ascii=False)}
    if node["kind"] == "number":
        attributes.update({"data-answer": repr(node["answer"]), "data-tolerance": repr(node["tolerance"]),
                           "data-relative": "true" if node["relative"] else "false"})
    self.body.append(self.starttag(node, "div", CLASS="quick-check", **attributes))
    self.body.append(f'<fieldset aria-describedby="{ident}-question">'
                     f'<legend>{escape(_("Quick check"))}</legend>')


def depart_quick_check(self, node) -> None:
    self.body.append("</div>\n")


def visit_question(self, node) -> None:
    self.body.append(f'<div class="qc-question" id="{node.parent["ids"][0]}-question">')


def depart_div(self, node) -> None:
    self.body.append("</div>\n")


def visit_choice(self, node: quick_check_choice) -> None:
    ident = node.parent["ids"][0]
    control = "checkbox" if node["multiple"] else "radio"
    letter = LETTERS[node["index"]]
    self.body.append(f'<div class="qc-option"><input type="{control}" name="{ident}" value="{node["index"]}" '
                     f'id="{ident}-{node["index"]}"><label for="{ident}-{node["index"]}">'
                     f'<span class="qc-letter">{letter}</span> ')
    write_phrasing(self, node)
    self.body.append("</label></div>\n")
    raise nodes.SkipNode


def write_phrasing(self, node: nodes.Element) -> None:
    """A node's paragraphs as their inline content (a ``<label>`` or ``<span>`` holds no ``<p>``)."""
    for child in node.children:
        for part in child.children if isinstance(child, nodes.paragraph) else [child]:
            part.walkabout(self)


def visit_number(self, node: quick_check_number) -> None:
    ident = node.parent["ids"][0]
    self.body.append(f'<div class="qc-number"><label for="{ident}-input">{escape(_("Your answer"))}</label> '
                     f'<input type="text" inputmode="decimal" autocomplete="off" spellcheck="false" '
                     f'id="{ident}-input" name="{ident}"> <span class="qc-unit">')
    write_phrasing(self, node)
    self.body.append("</span></div>\n")
    raise nodes.SkipNode


def visit_answer(self, node: quick_check_answer) -> None:
    """Close the form (the Check button, shown by the script, and the feedback region) and open the fold."""
    check = node.parent
    self.body.append(f'<div class="qc-controls"><button type="button" class="qc-check" hidden>'
                     f'{escape(_("Check"))}</button></div>'
                     '<div class="qc-feedback" role="status" aria-live="polite"></div></fieldset>\n'
                     f'<details class="qc-answer"><summary>{escape(_("Answer"))}</summary>\n')
    if node["kind"] == "choice":
        right = [LETTERS[c["index"]] for c in check.findall(quick_check_choice) if c["correct"]]
        self.body.append(f'<p class="qc-solution">{escape(_("Right: {options}.").format(options=", ".join(right)))}</p>\n')
    else:
        unit = check.next_node(quick_check_number).astext().strip()
        tolerance = f"{check['tolerance']:g}" + ("%" if check["relative"] else "")
        text = _("Answer: {answer} (within {tolerance}).").format(answer=f"{check['answer_text']} {unit}".strip(),
                                                                 tolerance=tolerance)
        self.body.append(f'<p class="qc-solution">{escape(text)}</p>\n')


def depart_answer(self, node) -> None:
    self.body.append("</details>\n")


def visit_explanation(self, node: quick_check_explanation) -> None:
    if "index" not in node:
        self.body.append('<div class="qc-explanation">')
        return
    verdict = _("right") if node["correct"] else _("wrong")
    self.body.append(f'<div class="qc-explanation" data-index="{node["index"]}" '
                     f'data-correct="{"true" if node["correct"] else "false"}">'
                     f'<p class="qc-verdict"><span class="qc-letter">{LETTERS[node["index"]]}</span> '
                     f'{escape(verdict)}</p>')


def skip(self, node) -> None:
    raise nodes.SkipNode


def _page_assets(app, pagename, templatename, context, doctree) -> None:
    if doctree is not None and next(doctree.findall(quick_check), None) is not None:
        app.add_css_file("quick-check.css")
        app.add_js_file("quick-check.js", loading_method="defer")


HTML_NODES = {
    quick_check: (visit_quick_check, depart_quick_check),
    quick_check_question: (visit_question, depart_div),
    quick_check_choice: (visit_choice, None),
    quick_check_number: (visit_number, None),
    quick_check_answer: (visit_answer, depart_answer),
    quick_check_explanation: (visit_explanation, depart_div),
}


def setup(app):
    app.setup_extension("site_text")
    for node, html in HTML_NODES.items():
        app.add_node(node, html=html, latex=(skip, None), text=(skip, None), man=(skip, None), texinfo=(skip, None))
    app.add_directive("quick-check", QuickCheckDirective)
    app.add_directive("choice", ChoiceDirective)
    app.add_directive("explanation", ExplanationDirective)
    app.setup_extension("site_static")
    app.connect("html-page-context", _page_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
