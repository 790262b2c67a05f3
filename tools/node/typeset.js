// Typesets the formulas of the site's pages at build time (_ext/math_prerender.py), so that a page
// arrives with its math rendered and loads no MathJax.
//
// One process for the whole site. Reads JSON from stdin:
//   {"tex": {...mathjax3_config.tex...},
//    "pages": [{"formulas": [{"tex": "x^2", "display": false}, ...]}, ...]}
// and writes JSON to stdout:
//   {"version": "3.2.2",
//    "pages": [{"html": ["<mjx-container ...>", ...], "css": "...", "defs": "<svg ...>", "errors": ["...", ...]}, ...]}
// Each formula becomes MathJax's SVG output with its hidden MathML for screen readers (assistive-mml),
// as the browser's MathJax would write it with its SVG output. The glyphs are SVG paths, defined once
// per page in "defs" (a hidden <svg>, MathJax's global font cache) and drawn with <use>: no web fonts
// to download, and formulas sized in ex, so they follow the x-height of the text around them. "css" is
// MathJax's small stylesheet for its SVG output. A TeX error is reported in "errors" (the formula
// shows MathJax's red error box, as in a browser).
"use strict";

const { serve } = require("./json_stdio.js");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");
const { VERSION } = require("mathjax-full/js/components/version.js");

// The packages of MathJax's tex-chtml component (input/tex), which the pages loaded in the browser,
// with two changes. In a browser, autoload loads an extension when a formula first uses one of its
// macros (\boldsymbol: the boldsymbol package); here no package is loaded later, so the extensions
// the pages use are listed. And noundefined, which draws an unknown macro as red text without an
// error, is left out: an unknown macro is a TeX error, which fails the build (-W).
const DEFAULT_PACKAGES = ["base", "ams", "newcommand", "require", "autoload", "configmacros", "boldsymbol"];

function texOptions(config) {
  const options = { ...config };
  // autoload and require load extensions in a browser; here every package is built in.
  const wanted = (options.packages || DEFAULT_PACKAGES).filter((p) => !["autoload", "require"].includes(p));
  options.packages = wanted.filter((p) => AllPackages.includes(p));
  return options;
}

function typesetPage(adaptor, page, tex, em, ex) {
  // A fresh document and output jax per page: the font cache then holds only this page's glyphs.
  const errors = [];
  const input = new TeX({
    ...tex,
    formatError: (jax, err) => {
      errors.push(err.message);
      return jax.formatError(err);
    },
  });
  const output = new SVG({ fontCache: "global" });
  const doc = mathjax.document("", { InputJax: input, OutputJax: output });
  const html = page.formulas.map((f) => {
    const before = errors.length;
    const node = doc.convert(f.tex, { display: !!f.display, em, ex, containerWidth: 80 * em });
    if (errors.length > before) errors[errors.length - 1] = `${errors[errors.length - 1]} in: ${f.tex.trim()}`;
    return adaptor.outerHTML(node);
  });
  const css = page.formulas.length ? adaptor.textContent(output.styleSheet(doc)) : "";
  const defs = page.formulas.length ? adaptor.outerHTML(output.pageElements(doc)) : "";
  return { html, css, errors, defs };
}

serve((request) => {
  const adaptor = liteAdaptor();
  AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
  const tex = texOptions(request.tex || {});
  // The browser MathJax's defaults for an unknown font size: the SVG is sized in ex, so they only
  // set the container width that line breaking would use.
  const em = 16;
  const ex = 8;
  const pages = request.pages.map((page) => typesetPage(adaptor, page, tex, em, ex));
  return { version: VERSION, pages };
});
