// Quick checks (_ext/quick_check.py): shows each check's button and answers it on the page.
// Without this script a quick check is its question and, in a fold, its answer.
"use strict";

(function () {
  const NUMBER = /^([^\d+\-.]*?)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(.*)$/i;

  // The reader's text as a number and the words around it ("$" in "$12", "epochs" in "3 epochs"):
  // full-width digits and the minus sign become ASCII, thousands separators go.
  function readNumber(text) {
    const plain = text.normalize("NFKC").replace(/\u2212/g, "-").replace(/(\d),(?=\d{3}\b)/g, "$1").trim();
    const match = NUMBER.exec(plain);
    return match ? { value: parseFloat(match[2]), rest: `${match[1]} ${match[3]}`.trim() } : null;
  }

  function explanationsFor(check, indices) {
    return indices.map((i) => check.querySelector(`.qc-answer .qc-explanation[data-index="${i}"]`))
      .filter(Boolean).map((node) => node.cloneNode(true));
  }

  function say(check, verdict, kind, nodes) {
    const feedback = check.querySelector(".qc-feedback");
    const line = document.createElement("p");
    line.className = `qc-verdict qc-${kind}`;
    line.textContent = verdict;
    feedback.replaceChildren(line, ...(nodes || []));
  }

  function checkChoice(check, words) {
    const inputs = Array.from(check.querySelectorAll(".qc-option input"));
    const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
    if (!chosen.length) return say(check, words.choose, "note");
    const right = Array.from(check.querySelectorAll('.qc-answer .qc-explanation[data-correct="true"]')).map((e) => e.dataset.index);
    const hits = chosen.filter((i) => right.includes(i)).length;
    const exact = hits === right.length && chosen.length === right.length;
    const verdict = exact ? words.correct : hits ? words.partial : words.wrong;
    const missed = hits && !exact ? right.filter((i) => !chosen.includes(i)) : [];  // partly right: the rest
    say(check, verdict, exact ? "right" : "wrong", explanationsFor(check, chosen.concat(missed)));
  }

  function checkNumber(check, words) {
    const input = check.querySelector(".qc-number input");
    const unit = check.querySelector(".qc-unit").textContent.trim();
    const text = input.value.trim();
    if (!text) return say(check, words.empty, "note");
    const read = readNumber(text);
    if (!read || !isFinite(read.value)) return say(check, words.number, "note");
    if (read.rest && !(unit && unit.toLowerCase().includes(read.rest.toLowerCase()))) {
      return say(check, unit ? words.unit.replace("{unit}", unit) : words.number, "note");
    }
    const answer = parseFloat(check.dataset.answer);
    let tolerance = parseFloat(check.dataset.tolerance);
    if (check.dataset.relative === "true") tolerance *= Math.abs(answer) / 100;
    const right = Math.abs(read.value - answer) <= tolerance * (1 + 1e-9);
    const explanation = check.querySelector(".qc-answer .qc-explanation");
    say(check, right ? words.correct : words.retry, right ? "right" : "wrong",
        right && explanation ? [explanation.cloneNode(true)] : []);
  }

  function upgrade(check) {
    const words = JSON.parse(check.dataset.messages);
    const button = check.querySelector(".qc-check");
    const answer = () => (check.dataset.kind === "number" ? checkNumber : checkChoice)(check, words);
    button.hidden = false;
    button.addEventListener("click", answer);
    const input = check.querySelector(".qc-number input");
    if (input) {
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); answer(); }
      });
    }
  }

  document.querySelectorAll(".quick-check").forEach(upgrade);
})();
