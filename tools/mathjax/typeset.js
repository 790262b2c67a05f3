// Typesets the formulas of the site's pages at build time (_ext/math_prerender.py), so that a page
// arrives with its math rendered and loads no MathJax.
//
// One process for the whole site. Reads JSON from stdin:
//   {"tex": {...mathjax3_config.tex...}, "em": 16, "ex": 8,
//    "pages": [{"fontURL": "../_static/mathjax/woff-v2", "formulas": [{"tex": "x^2", "display": false}, ...]}, ...]}
// and writes JSON to stdout:
//   {"version": "3.2.2", "pages": [{"html": ["<mjx-container ...>", ...], "css": "...", "errors": ["...", ...]}, ...]}
// Each formula becomes MathJax's CommonHTML (CHTML) with its hidden MathML for screen readers
// (assistive-mml), exactly what the browser's MathJax wrote; "css" is the stylesheet for the
// characters and constructs of that page only (MathJax's adaptive CSS). A TeX error is reported in
// "errors" (the formula shows MathJax's red error box, as in a browser).
"use strict";

const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");
const { VERSION } = require("mathjax-full/js/components/version.js");

// The packages of MathJax's tex-chtml component (input/tex), which the pages loaded in the browser.
const DEFAULT_PACKAGES = ["base", "ams", "newcommand", "noundefined", "require", "autoload", "configmacros"];

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function texOptions(config) {
  const options = { ...config };
  // autoload and require load extensions in a browser; here every package is built in.
  const wanted = (options.packages || DEFAULT_PACKAGES).filter((p) => !["autoload", "require"].includes(p));
  options.packages = wanted.filter((p) => AllPackages.includes(p));
  return options;
}

function typesetPage(adaptor, page, tex, em, ex) {
  // A fresh document and output jax per page: the stylesheet then holds only this page's characters.
  const errors = [];
  const input = new TeX({
    ...tex,
    formatError: (jax, err) => {
      errors.push(err.message);
      return jax.formatError(err);
    },
  });
  const output = new CHTML({ fontURL: page.fontURL, adaptiveCSS: true });
  const doc = mathjax.document("", { InputJax: input, OutputJax: output });
  const html = page.formulas.map((f) => {
    const before = errors.length;
    const node = doc.convert(f.tex, { display: !!f.display, em, ex, containerWidth: 80 * em });
    if (errors.length > before) errors[errors.length - 1] = `${errors[errors.length - 1]} in: ${f.tex.trim()}`;
    return adaptor.outerHTML(node);
  });
  const css = page.formulas.length ? adaptor.textContent(output.styleSheet(doc)) : "";
  return { html, css, errors };
}

async function main() {
  const request = JSON.parse(await readStdin());
  const adaptor = liteAdaptor();
  AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
  const tex = texOptions(request.tex || {});
  const em = request.em || 16;
  const ex = request.ex || 8;
  const pages = request.pages.map((page) => typesetPage(adaptor, page, tex, em, ex));
  process.stdout.write(JSON.stringify({ version: VERSION, pages }));
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
