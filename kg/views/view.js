/* govkg HTML view: builds the network, legend, filters, search and side panel from the JSON
 * in #graph-data. Every text from a report goes into the page through textContent (or a
 * vis-network label / plain-text title), never as HTML. */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", ' +
    '"WenQuanYi Micro Hei", "Segoe UI", sans-serif';
  var OBS = { Result: true, Target: true };
  var MAX_ROWS = 60, MAX_EVIDENCE = 20, MAX_MATCHES = 12, LABEL_CHARS = 12;

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var N = data.nodes.length;
  var big = N > 1200;
  var typeOf = {}, relOf = {};
  data.types.forEach(function (t) { typeOf[t.key] = t; });
  data.relations.forEach(function (r) { relOf[r.key] = r; });

  // ---- small DOM helpers (text only) ----
  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function term(key) { var t = data.terms[key]; return t ? (t[1] || key) : key; }
  function termZh(key) { var t = data.terms[key]; return t ? t[0] : ""; }
  function plural(n, one, many) { return n.toLocaleString("en") + " " + (n === 1 ? one : (many || one + "s")); }
  function short(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

  var SVGNS = "http://www.w3.org/2000/svg";
  function swatch(t) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("aria-hidden", "true");
    var shape, pts = null;
    switch (t.shape) {
      case "square": shape = document.createElementNS(SVGNS, "rect");
        shape.setAttribute("x", "2.5"); shape.setAttribute("y", "2.5");
        shape.setAttribute("width", "11"); shape.setAttribute("height", "11"); break;
      case "triangle": pts = "8,1.5 14.5,13.5 1.5,13.5"; break;
      case "triangleDown": pts = "1.5,2.5 14.5,2.5 8,14.5"; break;
      case "diamond": pts = "8,1 15,8 8,15 1,8"; break;
      case "hexagon": pts = "4.2,1.5 11.8,1.5 15,8 11.8,14.5 4.2,14.5 1,8"; break;
      case "star": pts = "8,1 9.9,5.9 15,6.1 11,9.3 12.4,14.3 8,11.4 3.6,14.3 5,9.3 1,6.1 6.1,5.9"; break;
      default: shape = document.createElementNS(SVGNS, "circle");
        shape.setAttribute("cx", "8"); shape.setAttribute("cy", "8"); shape.setAttribute("r", "6");
    }
    if (pts) { shape = document.createElementNS(SVGNS, "polygon"); shape.setAttribute("points", pts); }
    shape.setAttribute("fill", t.hollow ? "#ffffff" : t.colour);
    shape.setAttribute("stroke", t.hollow ? t.colour : darken(t.colour));
    shape.setAttribute("stroke-width", t.hollow ? "2.2" : "1");
    svg.appendChild(shape);
    return svg;
  }
  function darken(hex) {
    var n = parseInt(hex.slice(1), 16), f = 0.72;
    var r = Math.round(((n >> 16) & 255) * f), g = Math.round(((n >> 8) & 255) * f), b = Math.round((n & 255) * f);
    return "#" + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
  }

  // ---- indexes ----
  var outEdges = [], inEdges = [], obsOf = [];
  for (var i = 0; i < N; i++) { outEdges.push([]); inEdges.push([]); obsOf.push([]); }
  data.edges.forEach(function (e, k) { outEdges[e[0]].push(k); inEdges[e[1]].push(k); });
  data.nodes.forEach(function (n) {
    if (!OBS[n.type]) return;
    if (n.indicator >= 0) obsOf[n.indicator].push(n.id);
    if (n.subject >= 0) obsOf[n.subject].push(n.id);
  });
  function fullName(n) { return n.name || n.label; }
  function typeName(n) { return n.type + " " + (typeOf[n.type] ? typeOf[n.type].zh : ""); }
  function periodLabel(n) { return n.period >= 0 ? data.periods[n.period].label : ""; }
  function indicatorName(o) { return o.indicator >= 0 ? data.nodes[o.indicator].label : (o.description || ""); }

  // ---- header ----
  document.title = data.title;
  $("title").textContent = data.title;
  var entityCount = data.nodes.filter(function (n) { return !OBS[n.type] && n.type !== "Indicator"; }).length;
  var obsCount = data.nodes.filter(function (n) { return OBS[n.type]; }).length;
  var sub = [];
  if (data.reports.length === 1 && data.reports[0].year) sub.push(String(data.reports[0].year));
  if (data.reports.length > 1) sub.push(plural(data.reports.length, "report"));
  sub.push(plural(entityCount, "entity", "entities"), plural(obsCount, "number"),
    plural(data.edges.length, "link"));
  $("subtitle").textContent = sub.join(" · ");

  // ---- the network ----
  function nodeSize(n) {
    var d = Math.sqrt(n.degree);
    if (OBS[n.type]) return 7 + 1.5 * d;
    if (n.type === "Indicator") return Math.min(30, 9 + 3 * d);
    return Math.min(40, 12 + 4.5 * d);
  }
  function colourOf(t) {
    if (t.hollow) return { background: "#ffffff", border: t.colour,
      highlight: { background: "#fff1f1", border: t.colour }, hover: { background: "#fff1f1", border: t.colour } };
    var b = darken(t.colour);
    return { background: t.colour, border: b, highlight: { background: t.colour, border: "#111827" },
      hover: { background: t.colour, border: "#111827" } };
  }
  function tooltip(n) {
    var lines = [typeName(n) + (n.subtypes.length ? " · " + n.subtypes.map(function (s) {
      return termZh(s) || s; }).join(" · ") : ""), fullName(n)];
    if (n.aliases.length) lines.push("又称 " + n.aliases.slice(0, 6).join("、") + (n.aliases.length > 6 ? "…" : ""));
    if (OBS[n.type]) lines.push([n.value ? n.value + n.unit : n.description, periodLabel(n)].filter(Boolean).join(" · "));
    return lines.join("\n");
  }
  function baseNode(n) {
    var t = typeOf[n.type];
    var hub = !OBS[n.type] && n.type !== "Indicator";
    return {
      id: n.id, x: n.x, y: n.y, label: short(n.label, LABEL_CHARS), title: tooltip(n), shape: t.shape,
      size: nodeSize(n), color: colourOf(t), borderWidth: t.hollow ? 2.5 : 1, borderWidthSelected: 3,
      font: { size: OBS[n.type] ? 11 : (hub ? 14 + Math.min(6, n.degree / 3) : 12.5),
        color: OBS[n.type] ? "#5b6472" : "#1f2933" },
      opacity: 1, shadow: false
    };
  }
  var nodes = new vis.DataSet(data.nodes.map(baseNode));
  var edges = new vis.DataSet(data.edges.map(function (e, k) {
    var r = relOf[e[2]] || { colour: "#8a94a3" };
    var light = e[2] === "indicator" || e[2] === "subject";
    var tip = [term(e[2]) + (termZh(e[2]) ? " " + termZh(e[2]) : "")].concat(e[3].slice(0, 3).map(function (s) {
      return data.sentences[s][0]; }));
    return { id: k, from: e[0], to: e[1], label: termZh(e[2]) || term(e[2]), title: tip.join("\n"),
      color: { color: r.colour, highlight: darken(r.colour), hover: darken(r.colour), opacity: light ? 0.8 : 1 },
      width: light ? 1 : 1.6, dashes: e[2] === "subject" };
  }));

  var visible = new Array(N).fill(true);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible[n.id]; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visible[e.from] && visible[e.to]; } });

  var PHYSICS = {
    solver: "forceAtlas2Based",
    forceAtlas2Based: { gravitationalConstant: -60, centralGravity: 0.004, springLength: 110, springConstant: 0.05,
      damping: 0.5, avoidOverlap: 0.4 },
    stabilization: { enabled: false }, minVelocity: 1.5, maxVelocity: 40, timestep: 0.4
  };
  var container = $("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: Object.assign({ enabled: false }, PHYSICS),
    interaction: { hover: !big, tooltipDelay: 250, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false,
      navigationButtons: false, multiselect: false },
    nodes: { font: { face: FONT, size: 13, strokeWidth: 4, strokeColor: "rgba(255,255,255,0.92)" },
      scaling: { label: { drawThreshold: 5 } } },
    edges: { smooth: false, selectionWidth: 1.2, hoverWidth: 0.6,
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      font: { face: FONT, size: 11, color: "#6b7585", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      scaling: { label: { drawThreshold: 6 } } }
  });
  var ready = false;
  network.once("afterDrawing", function () {
    ready = true;
    $("loading").className = "done";
    window.__kgReady = Math.round(performance.now());
    document.body.setAttribute("data-ready", "1");
  });
  if (!N) {
    $("loading").className = "done";
    $("stage").appendChild(el("div", "empty", "This graph has no entities or numbers. 此图中没有实体或数值。"));
  }

  // Layout: positions come from the build; physics runs only when asked and stops once settled.
  var physicsOn = false, physicsBtn = $("physics");
  function setPhysics(on) {
    physicsOn = on;
    network.setOptions({ physics: { enabled: on } });
    if (on) network.startSimulation();
    physicsBtn.textContent = on ? "Freeze layout" : "Resume layout";
    physicsBtn.classList.toggle("running", on);
  }
  physicsBtn.addEventListener("click", function () { setPhysics(!physicsOn); });
  network.on("stabilized", function () { if (physicsOn) setPhysics(false); });
  function fitView() {
    // fit the shown nodes into the part of the canvas the side panel leaves free
    network.fit();
    var pw = panelWidth(), w = container.clientWidth;
    if (pw && w > pw) {
      var scale = network.getScale() * (w - pw) / w, at = network.getViewPosition();
      network.moveTo({ position: { x: at.x + pw / 2 / scale, y: at.y }, scale: scale });
    }
  }
  $("fit").addEventListener("click", fitView);

  // ---- legend and filters ----
  var state = { hiddenTypes: {}, kind: "", period: "", report: "", hideObs: false };
  var legend = $("legend");
  data.types.forEach(function (t) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = t.key;
    box.setAttribute("data-type", t.key);
    box.addEventListener("change", function () {
      state.hiddenTypes[t.key] = !box.checked;
      li.classList.toggle("off", !box.checked);
      applyFilters();
    });
    label.appendChild(box);
    label.appendChild(swatch(t));
    label.appendChild(el("span", "name", t.key));
    label.appendChild(el("span", "zh", t.zh));
    label.appendChild(el("span", "count", t.count.toLocaleString("en")));
    li.appendChild(label);
    legend.appendChild(li);
  });
  function setAllTypes(on) {
    legend.querySelectorAll("input").forEach(function (box) {
      box.checked = on; state.hiddenTypes[box.value] = !on; box.closest("li").classList.toggle("off", !on);
    });
    applyFilters();
  }
  $("types-all").addEventListener("click", function () { setAllTypes(true); });
  $("types-none").addEventListener("click", function () { setAllTypes(false); });
  data.relations.forEach(function (r) {
    var li = el("li"), line = el("span", "line");
    line.style.borderTopColor = r.colour;
    if (r.key === "subject") line.style.borderTopStyle = "dashed";
    li.appendChild(line);
    li.appendChild(el("span", "", term(r.key)));
    li.appendChild(el("span", "zh", termZh(r.key)));
    li.appendChild(el("span", "count", r.count.toLocaleString("en")));
    $("relations").appendChild(li);
  });
  $("hide-obs").addEventListener("change", function (ev) { state.hideObs = ev.target.checked; applyFilters(); });
  document.querySelectorAll('input[name="kind"]').forEach(function (radio) {
    radio.addEventListener("change", function () { if (radio.checked) { state.kind = radio.value; applyFilters(); } });
  });
  var periodSelect = $("period");
  var periodCount = data.periods.map(function () { return 0; });
  data.nodes.forEach(function (n) { if (OBS[n.type] && n.period >= 0) periodCount[n.period]++; });
  data.periods.forEach(function (p, k) {
    if (!periodCount[k]) return;
    var o = el("option", "", p.label + "  (" + periodCount[k] + ")");
    o.value = String(k);
    periodSelect.appendChild(o);
  });
  periodSelect.addEventListener("change", function () { state.period = periodSelect.value; applyFilters(); });
  if (data.reports.length > 1) {
    $("report-field").hidden = false;
    data.reports.forEach(function (r, k) {
      var o = el("option", "", (r.year ? r.year + " " : "") + r.title);
      o.value = String(k);
      $("report").appendChild(o);
    });
    $("report").addEventListener("change", function () { state.report = $("report").value; applyFilters(); });
  }

  function shown(n) {
    if (state.hiddenTypes[n.type]) return false;
    if (state.report !== "" && n.reports.indexOf(+state.report) < 0 && n.type !== "Indicator") return false;
    if (OBS[n.type]) {
      if (state.hideObs) return false;
      if (state.kind && n.type !== state.kind) return false;
      if (state.period !== "" && n.period !== +state.period) return false;
    }
    return true;
  }
  function applyFilters() {
    var next = data.nodes.map(shown);
    // an indicator is there for its numbers: it goes when none of them is shown
    data.nodes.forEach(function (n) {
      if (n.type !== "Indicator" || !next[n.id]) return;
      if (state.hideObs) { next[n.id] = false; return; }
      var own = obsOf[n.id];
      if (own.length && !own.some(function (o) { return next[o]; })) next[n.id] = false;
    });
    // nodes that go keep where they were left, to come back there
    var going = [];
    for (var k = 0; k < N; k++) if (visible[k] && !next[k]) going.push(k);
    if (going.length) {
      var at = network.getPositions(going);
      nodes.update(going.map(function (id) { return { id: id, x: at[id].x, y: at[id].y }; }));
    }
    visible = next;
    nodeView.refresh();
    edgeView.refresh();
    updateStatus();
    if (query) runSearch(query, false);
  }
  function visibleCount() { return visible.reduce(function (a, v) { return a + (v ? 1 : 0); }, 0); }
  function updateStatus() {
    var nv = visibleCount(), ev = edgeView.length;
    $("status").textContent = nv === N ? plural(N, "node") + " · " + plural(ev, "edge")
      : "Showing " + nv.toLocaleString("en") + " of " + plural(N, "node") + " · " + plural(ev, "edge");
    $("status").setAttribute("data-visible", String(nv));
  }
  updateStatus();

  // ---- search ----
  var searchBox = $("search"), matchList = $("matches"), query = "", matches = [], highlighted = [], active = 0;
  var highlightActive = false;
  var haystack = data.nodes.map(function (n) {
    return [fullName(n)].concat(n.aliases).map(function (s) { return s.toLowerCase(); });
  });
  function rank(n, q) {
    var names = haystack[n.id];
    if (names[0] === q) return 0;
    if (names[0].indexOf(q) === 0) return 1;
    if (names[0].indexOf(q) >= 0) return 2;
    for (var k = 1; k < names.length; k++) if (names[k].indexOf(q) >= 0) return names[k] === q ? 1.5 : 3;
    return -1;
  }
  function setHighlight(ids) {
    var on = {}, updates = [];
    ids.forEach(function (id) { on[id] = true; });
    var dim = ids.length > 0;
    var was = {};
    highlighted.forEach(function (id) { was[id] = true; });
    data.nodes.forEach(function (n) {
      var hit = !!on[n.id];
      if (!dim && !highlightActive) return;
      var t = typeOf[n.type];
      updates.push({ id: n.id, opacity: dim && !hit ? 0.22 : 1,
        borderWidth: hit ? 4 : (t.hollow ? 2.5 : 1),
        color: hit ? Object.assign(colourOf(t), { border: "#f59e0b" }) : colourOf(t),
        shadow: hit ? { enabled: true, color: "rgba(245,158,11,0.85)", size: 16, x: 0, y: 0 } : false });
    });
    if (updates.length) nodes.update(updates);
    highlightActive = dim;
    highlighted = ids.slice();
  }
  function runSearch(text, focusFirst) {
    query = text;
    var q = text.trim().toLowerCase();
    clear(matchList);
    if (!q) {
      matches = [];
      matchList.hidden = true;
      $("search-count").textContent = "";
      setHighlight([]);
      return;
    }
    var found = [];
    data.nodes.forEach(function (n) {
      var r = rank(n, q);
      if (r >= 0) found.push([r, -n.degree, n.id]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    matches = found.map(function (f) { return f[2]; });
    var shownMatches = matches.filter(function (id) { return visible[id]; });
    var hiddenCount = matches.length - shownMatches.length;
    $("search-count").textContent = matches.length ? plural(matches.length, "match", "matches") +
      (hiddenCount ? " (" + hiddenCount + " filtered out)" : "") : "no match";
    setHighlight(shownMatches);
    matches.slice(0, MAX_MATCHES).forEach(function (id, k) {
      var n = data.nodes[id], li = el("li");
      li.setAttribute("data-id", String(id));
      if (!visible[id]) { li.classList.add("filtered"); li.title = "Hidden by the filters"; }
      li.appendChild(swatch(typeOf[n.type]));
      li.appendChild(el("span", "name", fullName(n)));
      li.appendChild(el("span", "type", typeName(n)));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(id); });
      matchList.appendChild(li);
    });
    if (matches.length > MAX_MATCHES) matchList.appendChild(el("li", "muted", "… " + (matches.length - MAX_MATCHES) + " more"));
    matchList.hidden = document.activeElement !== searchBox;
    active = 0;
    markActive();
    if (focusFirst && shownMatches.length) focusNode(shownMatches[0], false);
  }
  function markActive() {
    Array.prototype.forEach.call(matchList.children, function (li, k) { li.classList.toggle("active", k === active); });
  }
  function choose(id) {
    matchList.hidden = true;
    if (!visible[id]) return;
    focusNode(id, true);
  }
  function panelWidth() { return panel.hidden ? 0 : panel.getBoundingClientRect().width; }
  function focusNode(id, open) {
    network.selectNodes([id]);
    if (open) openPanel(id);
    // centre the node in the part of the canvas the side panel leaves free
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), offset: { x: -panelWidth() / 2, y: 0 },
      animation: { duration: 450, easingFunction: "easeInOutQuad" } });
  }
  var timer = null;
  searchBox.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { runSearch(searchBox.value, true); }, big ? 180 : 80);
  });
  searchBox.addEventListener("focus", function () { if (matches.length) matchList.hidden = false; });
  searchBox.addEventListener("blur", function () { matchList.hidden = true; });
  searchBox.addEventListener("keydown", function (ev) {
    var count = Math.min(matches.length, MAX_MATCHES);
    if (ev.key === "ArrowDown" && count) { active = (active + 1) % count; markActive(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp" && count) { active = (active + count - 1) % count; markActive(); ev.preventDefault(); }
    else if (ev.key === "Enter") {
      clearTimeout(timer);
      if (searchBox.value !== query) runSearch(searchBox.value, false);
      if (matches.length) choose(matches[Math.min(active, matches.length - 1)]);
      ev.preventDefault();
    } else if (ev.key === "Escape") { searchBox.value = ""; runSearch("", false); searchBox.blur(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "/" && document.activeElement !== searchBox && !/INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName)) {
      searchBox.focus(); ev.preventDefault();
    } else if (ev.key === "Escape" && document.activeElement !== searchBox) closePanel();
  });

  // ---- the side panel ----
  var panel = $("panel"), body = $("panel-body"), current = -1;
  function nodeLink(id) {
    var n = data.nodes[id], b = el("button", "node", fullName(n));
    b.type = "button";
    b.title = typeName(n);
    b.addEventListener("click", function () { if (visible[id]) focusNode(id, true); else openPanel(id); });
    return b;
  }
  function marked(text, terms) {
    // the sentence as text nodes, with each occurrence of a term in a <mark>
    var span = el("span", "text"), lower = text, at = 0;
    terms = terms.filter(function (t) { return t && t.length > 0; }).sort(function (a, b) { return b.length - a.length; });
    while (at < lower.length) {
      var best = -1, hit = "";
      terms.forEach(function (t) {
        var k = lower.indexOf(t, at);
        if (k >= 0 && (best < 0 || k < best || (k === best && t.length > hit.length))) { best = k; hit = t; }
      });
      if (best < 0) break;
      if (best > at) span.appendChild(document.createTextNode(text.slice(at, best)));
      span.appendChild(el("mark", "", text.slice(best, best + hit.length)));
      at = best + hit.length;
    }
    if (at < text.length) span.appendChild(document.createTextNode(text.slice(at)));
    return span;
  }
  function numbersTable(rows, currentId) {
    var table = el("table", "numbers"), head = el("tr");
    ["Indicator 指标", "Value 数值", "Unit 单位", "Period 时期", ""].forEach(function (h) { head.appendChild(el("th", "", h)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    rows.slice(0, MAX_ROWS).forEach(function (id) {
      var o = data.nodes[id], tr = el("tr", id === currentId ? "current" : "link");
      tr.setAttribute("data-id", String(id));
      var who = o.subject >= 0 && o.subject !== current && data.nodes[o.subject] ? data.nodes[o.subject].label + " · " : "";
      tr.appendChild(el("td", "", who + indicatorName(o)));
      tr.appendChild(el("td", "num", o.value || (o.description ? "—" : "")));
      tr.appendChild(el("td", "", o.unit));
      tr.appendChild(el("td", "", periodLabel(o)));
      tr.appendChild(el("td", o.type + "-kind", o.type === "Target" ? "目标 target" : "实绩 result"));
      var bits = [fullName(o)];
      if (o.qualifier) bits.push("qualifier: " + o.qualifier);
      if (o.commitment) bits.push("commitment: " + o.commitment);
      if (o.description) bits.push(o.description);
      tr.title = bits.join("\n");
      if (id !== currentId) tr.addEventListener("click", function () { if (visible[id]) focusNode(id, true); else openPanel(id); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    return table;
  }
  function factsTable(pairs) {
    var table = el("table", "facts");
    pairs.forEach(function (p) {
      if (p[1] === "" || p[1] === null || p[1] === undefined) return;
      var tr = el("tr");
      tr.appendChild(el("th", "", p[0]));
      var td = el("td");
      if (p[1] instanceof Node) td.appendChild(p[1]); else td.textContent = String(p[1]);
      tr.appendChild(td);
      table.appendChild(tr);
    });
    return table;
  }
  function section(title, count) {
    var h = el("h3", "", title);
    if (count !== undefined) h.appendChild(el("span", "zh", "  " + count));
    body.appendChild(h);
  }
  function openPanel(id) {
    var n = data.nodes[id], t = typeOf[n.type];
    current = id;
    clear(body);
    panel.hidden = false;
    panel.setAttribute("data-id", String(id));
    var kind = el("div", "kind");
    kind.appendChild(swatch(t));
    kind.appendChild(el("span", "", typeName(n)));
    n.subtypes.forEach(function (s) { kind.appendChild(el("span", "chip", (termZh(s) ? termZh(s) + " " : "") + term(s))); });
    body.appendChild(kind);
    body.appendChild(el("h2", "", fullName(n)));
    if (n.aliases.length) body.appendChild(el("p", "aliases", "又称 Also: " + n.aliases.join("、")));
    if (n.stages && n.stages.length) {
      var st = el("div", "stages");
      n.stages.forEach(function (s) {
        var chip = el("span", "chip " + s[0], (termZh(s[0]) || s[0]) + " " + term(s[0]) + (s[1] ? " · " + s[1] : ""));
        if (s[2] >= 0) chip.title = data.sentences[s[2]][0];
        st.appendChild(chip);
      });
      body.appendChild(st);
    }

    // numbers
    var rows = OBS[n.type] ? [id] : obsOf[id];
    if (OBS[n.type]) {
      section("Observation 观测值");
      body.appendChild(factsTable([
        ["Indicator 指标", n.indicator >= 0 ? nodeLink(n.indicator) : ""],
        ["Value 数值", n.value ? n.value + (n.unit ? " " + n.unit : "") : ""],
        ["Period 时期", periodLabel(n)],
        ["Kind 类型", n.type === "Target" ? "目标 Target" : "实绩 Result"],
        ["Measure 度量", n.measure ? (termZh(n.measure) + " " + term(n.measure)).trim() : ""],
        ["Qualifier 限定", n.qualifier],
        ["Commitment 承诺", n.commitment],
        ["Met 完成", n.met === undefined ? "" : (n.met ? "yes 是" : "no 否")],
        ["Subject 主体", n.subject >= 0 ? nodeLink(n.subject) : ""],
        ["Description 描述", n.description]
      ]));
    }
    if (rows.length) {
      section("Numbers 数值", rows.length);
      body.appendChild(numbersTable(rows, OBS[n.type] ? id : -1));
      if (rows.length > MAX_ROWS) body.appendChild(el("div", "more muted", "… " + (rows.length - MAX_ROWS) + " more"));
    }

    // relations (links of numbers are in the table above)
    var rels = [];
    outEdges[id].forEach(function (k) { rels.push([k, true]); });
    inEdges[id].forEach(function (k) { rels.push([k, false]); });
    rels = rels.filter(function (r) {
      var e = data.edges[r[0]];
      return OBS[n.type] || !((e[2] === "indicator" || e[2] === "subject") && !r[1]);
    });
    if (rels.length) {
      section("Relations 关系", rels.length);
      var ul = el("ul", "rels");
      rels.slice(0, MAX_ROWS).forEach(function (r) {
        var e = data.edges[r[0]], li = el("li"), other = r[1] ? e[1] : e[0];
        li.appendChild(el("span", "rel", (r[1] ? "→ " : "← ") + term(e[2]) + (termZh(e[2]) ? " " + termZh(e[2]) : "")));
        li.appendChild(nodeLink(other));
        if (e[3].length) li.title = e[3].map(function (s) { return data.sentences[s][0]; }).join("\n");
        ul.appendChild(li);
      });
      body.appendChild(ul);
      if (rels.length > MAX_ROWS) body.appendChild(el("div", "more muted", "… " + (rels.length - MAX_ROWS) + " more"));
    }

    // evidence: the node's own sentences, else those of its numbers
    var ev = n.evidence.slice();
    if (!ev.length || n.type === "Indicator") {
      rows.forEach(function (o) { ev = ev.concat(data.nodes[o].evidence); });
      ev = ev.filter(function (s, k) { return ev.indexOf(s) === k; }).sort(function (a, b) { return a - b; });
    }
    var terms = [fullName(n)].concat(n.aliases);
    if (OBS[n.type]) {
      terms = n.value.split(/[–≥≤]/);
      if (n.indicator >= 0) terms = terms.concat([data.nodes[n.indicator].label], data.nodes[n.indicator].aliases);
    }
    if (ev.length) {
      section("Evidence 原文", ev.length);
      var list = el("ul", "evidence");
      function addEvidence(s) {
        var sen = data.sentences[s], li = el("li");
        li.appendChild(marked(sen[0], terms));
        var src = [];
        if (sen[2] >= 0) src.push("《" + data.reports[sen[2]].title + "》" + (data.reports[sen[2]].year ? " " + data.reports[sen[2]].year : ""));
        if (sen[1] >= 0 && data.sections[sen[1]]) src.push(data.sections[sen[1]]);
        li.appendChild(el("div", "source", src.join(" · ")));
        list.appendChild(li);
      }
      ev.slice(0, MAX_EVIDENCE).forEach(addEvidence);
      body.appendChild(list);
      if (ev.length > MAX_EVIDENCE) {
        var more = el("button", "more", "Show all " + ev.length + " sentences");
        more.type = "button";
        more.addEventListener("click", function () { ev.slice(MAX_EVIDENCE).forEach(addEvidence); more.remove(); });
        body.appendChild(more);
      }
    }
    body.appendChild(el("div", "iri", n.iri));
    panel.scrollTop = 0;
  }
  function closePanel() {
    panel.hidden = true;
    current = -1;
    network.unselectAll();
  }
  $("panel-close").addEventListener("click", closePanel);
  network.on("click", function (params) {
    if (params.nodes.length) openPanel(params.nodes[0]);
    else if (!params.edges.length) closePanel();
  });

  // ---- for tests and for the curious: a read-only handle ----
  window.__kgView = {
    network: network,
    ready: function () { return ready; },
    highlighted: function () { return highlighted.slice(); },
    visibleCount: visibleCount,
    nodeId: function (label) {
      for (var k = 0; k < N; k++) if (fullName(data.nodes[k]) === label) return k;
      return -1;
    },
    domPosition: function (id) {
      var p = network.getPosition(id), d = network.canvasToDOM(p), r = container.getBoundingClientRect();
      return { x: r.left + d.x, y: r.top + d.y };
    }
  };
})();
