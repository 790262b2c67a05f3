// A display formula wider than the page scrolls sideways inside its own box; WCAG 2.1.1 asks that
// such a box can be reached and scrolled with the keyboard, so every display formula MathJax
// writes becomes a tab stop (axe: scrollable-region-focusable).
(function () {
  const focusable = (root) => {
    root.querySelectorAll('mjx-container[display="true"]').forEach((box) => {
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    });
  };
  const start = () => {
    focusable(document);
    new MutationObserver((changes) => {
      for (const change of changes) {
        change.addedNodes.forEach((node) => { if (node.nodeType === 1) focusable(node.parentNode || node); });
      }
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
