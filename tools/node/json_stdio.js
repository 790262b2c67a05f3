// How the site build's Node tools talk to Sphinx (_ext/node_tools.py): the request as JSON on stdin,
// the answer as JSON on stdout, an error on stderr with exit status 1.
"use strict";

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

// Runs `answer(request)` (which may be async) on the request read from stdin and writes its result.
function serve(answer) {
  readStdin()
    .then((text) => answer(JSON.parse(text)))
    .then((result) => process.stdout.write(JSON.stringify(result)))
    .catch((err) => {
      process.stderr.write(`${err.stack || err}\n`);
      process.exit(1);
    });
}

module.exports = { serve };
