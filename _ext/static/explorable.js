// Explorables (_ext/explorable.py): draws each figure's panels for the control's value, as SVG.
// The frames are the chapter's numbers (the JSON in .ex-data); the words are the page's own.
// Without this script an explorable stays hidden and the chapter's still figure is the figure.
"use strict";

(function () {
  const NS = "http://www.w3.org/2000/svg";
  const W = 320, H = 240, LEFT = 44, RIGHT = 18, TOP = 8, BOTTOM = 24;
  const SUPERSCRIPT = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074",
    5: "\u2075", 6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };

  function add(parent, name, attributes, text) {
    const node = document.createElementNS(NS, name);
    for (const key in attributes) node.setAttribute(key, attributes[key]);
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  // The map from data to the plot's pixels along one axis (lim in data, from–to in pixels).
  function scale(lim, log, from, to) {
    const f = log ? Math.log10 : (v) => v;
    const lo = f(lim[0]), hi = f(lim[1]);
    return (v) => from + ((f(v) - lo) / (hi - lo)) * (to - from);
  }

  // About five round ticks: powers of ten on a log axis, steps of 1, 2 or 5 times a power of ten.
  function ticks(lim, log) {
    if (log) {
      const out = [];
      for (let e = Math.ceil(Math.log10(lim[0]) - 1e-9); e <= Math.log10(lim[1]) + 1e-9; e++) out.push(e);
      const every = Math.ceil(out.length / 6);
      return out.filter((e) => e % every === 0).map((e) => [Math.pow(10, e), "10" + String(e).replace(/./g, (c) => SUPERSCRIPT[c])]);
    }
    const rough = (lim[1] - lim[0]) / 5, power = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
    const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    const out = [];
    for (let v = Math.ceil(lim[0] / step - 1e-9) * step; v <= lim[1] + step * 1e-9; v += step) {
      out.push([v, (Math.abs(v) < step / 2 ? 0 : v).toFixed(digits).replace("-", "\u2212")]);
    }
    return out;
  }

  function markerPath(marker, x, y, r) {
    switch (marker) {
      case "square": return `M${x - r} ${y - r}h${2 * r}v${2 * r}h${-2 * r}Z`;
      case "triangle": return `M${x} ${y - r}L${x + r} ${y + r * 0.8}H${x - r}Z`;
      case "diamond": return `M${x} ${y - r}L${x + r} ${y}L${x} ${y + r}L${x - r} ${y}Z`;
      case "cross": return `M${x - r} ${y - r}L${x + r} ${y + r}M${x - r} ${y + r}L${x + r} ${y - r}`;
      default: return `M${x - r} ${y}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
    }
  }

  function pathOf(series, data, sx, sy) {
    const round = (v) => Math.round(v * 10) / 10;
    if (series.kind === "points") {
      const r = series.size || 3, parts = [];
      for (let i = 0; i < data.length; i += 2) parts.push(markerPath(series.marker, round(sx(data[i])), round(sy(data[i + 1])), r));
      return parts.join("");
    }
    return data.map((xy) => {
      const parts = [];
      for (let i = 0; i < xy.length; i += 2) parts.push(`${i ? "L" : "M"}${round(sx(xy[i]))} ${round(sy(xy[i + 1]))}`);
      return parts.join("") + (series.kind === "polygon" ? "Z" : "");
    }).join("");
  }

  // The axes, once: ticks, their numbers and the frame; returns the layer the series are drawn in.
  function axes(svg, panel, id) {
    const sx = scale(panel.xlim, panel.xlog, LEFT, W - RIGHT), sy = scale(panel.ylim, panel.ylog, H - BOTTOM, TOP);
    const grid = add(svg, "g", { class: "ex-grid" });
    for (const [v, text] of ticks(panel.xlim, panel.xlog)) {
      add(grid, "path", { d: `M${sx(v)} ${TOP}V${H - BOTTOM}` });
      add(svg, "text", { x: sx(v), y: H - BOTTOM + 15, "text-anchor": "middle", class: "ex-tick" }, text);
    }
    for (const [v, text] of ticks(panel.ylim, panel.ylog)) {
      add(grid, "path", { d: `M${LEFT} ${sy(v)}H${W - RIGHT}` });
      add(svg, "text", { x: LEFT - 5, y: sy(v) + 4, "text-anchor": "end", class: "ex-tick" }, text);
    }
    const clip = add(add(svg, "defs", {}), "clipPath", { id: `${id}-clip` });
    add(clip, "rect", { x: LEFT, y: TOP, width: W - LEFT - RIGHT, height: H - TOP - BOTTOM });
    const layer = add(svg, "g", { "clip-path": `url(#${id}-clip)` });
    add(svg, "rect", { x: LEFT, y: TOP, width: W - LEFT - RIGHT, height: H - TOP - BOTTOM, class: "ex-frame" });
    return { layer, sx, sy };
  }

  function draw(panel, plot, spec, index) {
    plot.layer.replaceChildren();
    for (const series of panel.series || []) {
      if (series.context) {
        const others = spec.frames.filter((_, i) => i !== index).map((f) => pathOf(series, f.data[series.key], plot.sx, plot.sy));
        add(plot.layer, "path", { d: others.join(""), class: "ex-line ex-context" });
      }
    }
    for (const series of panel.series || []) {
      const data = series.data || spec.frames[index].data[series.key];
      const kind = series.kind === "polygon" ? "ex-fill" : series.kind === "line" ? "ex-line" : "ex-points";
      add(plot.layer, "path", { d: pathOf(series, data, plot.sx, plot.sy), class: `${kind} ex-c${series.color || 0}${series.kind === "points" ? " ex-m-" + (series.marker || "circle") : ""}`,
        "data-key": series.key });
    }
  }

  function upgrade(explorable) {
    const spec = JSON.parse(explorable.querySelector(".ex-data").textContent);
    const input = explorable.querySelector("input[type=range]");
    const unit = explorable.querySelector(".ex-unit");
    const plots = spec.panels.map((panel, p) => axes(document.getElementById(`${explorable.id}-panel${p}`), panel, `${explorable.id}-panel${p}`));
    function show(index) {
      const text = Object.assign({}, spec.frames[index].text, { value: String(spec.values[index]) });
      spec.panels.forEach((panel, p) => draw(panel, plots[p], spec, index));
      explorable.querySelectorAll(".ex-case").forEach((c) => { c.hidden = c.dataset.case !== spec.frames[index].case; });
      explorable.querySelectorAll(".ex-field").forEach((field) => { field.textContent = text[field.dataset.field]; });
      input.setAttribute("aria-valuetext", `${text.value} ${unit ? unit.textContent.trim() : ""}`.trim());
      explorable.dataset.index = String(index);
    }
    input.addEventListener("input", () => show(Number(input.value)));
    show(Number(input.value));
    explorable.hidden = false;
  }

  document.querySelectorAll(".explorable").forEach(upgrade);
})();
