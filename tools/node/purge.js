// Cuts stylesheets to the rules the built site can use (_ext/theme_assets.py), with PurgeCSS.
//
// Reads JSON from stdin:
//   {"content": ["/site/**/*.html", "/site/_static/**/*.js"], "css": ["/site/_static/x.css", ...],
//    "safelist": {"standard": ["^bs-", ...], "greedy": ["data-theme", ...]}}
// and writes JSON to stdout:
//   {"version": "8.0.0", "css": [{"file": "/site/_static/x.css", "css": "..."}, ...]}
// A rule is kept when every class, id, tag and attribute value of one of its selectors occurs as a
// word in the content (the pages and the scripts that add classes to them) or matches the safelist
// (patterns are regular expressions). Custom properties, @font-face and @keyframes are all kept.
// Nothing is written here: the caller writes the files.
"use strict";

const { serve } = require("./json_stdio.js");
const { PurgeCSS } = require("purgecss");
const { version } = require("purgecss/package.json");

serve(async (request) => {
  const patterns = (list) => (list || []).map((p) => new RegExp(p));
  const results = await new PurgeCSS().purge({
    content: request.content,
    css: request.css,
    safelist: {
      standard: patterns(request.safelist && request.safelist.standard),
      greedy: patterns(request.safelist && request.safelist.greedy),
    },
    variables: false,
    keyframes: false,
    fontFace: false,
  });
  return { version, css: results.map((r) => ({ file: r.file, css: r.css })) };
});
