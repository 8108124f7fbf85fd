// imidgraph offline view: the subgraph embedded in #imidgraph-data, drawn by Cytoscape.js and
// laid out by dagre (both inlined above this script). Our code only turns the data into
// elements, gives dagre each entity's column (its mechanism layer, computed in Python), puts
// the layers apart (side effects, resistance) in rows below, and fills the filters, legend
// and the panel of details and citations.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("imidgraph-data").textContent);
  var panel = document.getElementById("panel");
  var nodeById = {}, edgeByKey = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  data.edges.forEach(function (e) { edgeByKey[e.key] = e; });
  var LONG_EDGES = 40;
  var band = {};
  data.layers.forEach(function (l) { band[l[0]] = l[2]; });

  function html(tag, text, parent, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }

  function doiLink(doi, parent) {
    var a = html("a", "doi:" + doi, parent);
    Object.assign(a, { href: "https://doi.org/" + doi, target: "_blank", rel: "noopener noreferrer" });
  }

  // ------------------------------------------------------------------ layout: dagre, in columns

  function box(n) { // the room a node and its label (below it, up to two lines) take
    var d = n.size / 1.8, chars = Math.min(n.name.length, 20);
    return { width: Math.max(d, chars * 6.4), height: d + (n.name.length > 20 ? 30 : 16) };
  }

  function layout() {
    var g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: "LR", ranker: "none", nodesep: 12, ranksep: 80, marginx: 0, marginy: 0 });
    var main = data.nodes.filter(function (n) { return band[n.layer] === "mechanism"; });
    main.forEach(function (n) {
      var b = box(n);
      g.setNode(n.id, { width: b.width, height: b.height, rank: 2 * n.column });
    });
    // A long edge makes dagre reserve room for it in every column it crosses: in a large
    // picture only edges between neighbouring columns order the nodes, the others are drawn.
    var few = data.edges.length <= LONG_EDGES;
    data.edges.forEach(function (e) {
      var s = nodeById[e.source], t = nodeById[e.target];
      if (!g.hasNode(s.id) || !g.hasNode(t.id) || s.column === t.column) return;
      if (!few && Math.abs(s.column - t.column) > 1) return;
      var ends = s.column < t.column ? [s.id, t.id] : [t.id, s.id]; // ranks go left to right
      g.setEdge(ends[0], ends[1], { weight: e.highlight ? 4 : 1 }, e.key);
    });
    dagre.layout(g);
    var pos = {}, minX = 0, maxX = 0, maxY = 0;
    main.forEach(function (n) {
      var p = g.node(n.id);
      pos[n.id] = { x: p.x, y: p.y };
      maxX = Math.max(maxX, p.x + p.width / 2);
      maxY = Math.max(maxY, p.y + p.height / 2);
    });
    var headings = [];
    data.layers.forEach(function (l) {
      var members = main.filter(function (n) { return n.layer === l[0]; });
      if (!members.length) return;
      var xs = members.map(function (n) { return pos[n.id].x; });
      headings.push({ layer: l[0], label: l[1], x: (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2, y: -30 });
    });
    // the layers apart: a labelled row each, below the mechanism, wrapping at its width
    var y = main.length ? maxY + 90 : 0, width = Math.max(maxX - minX, 700);
    data.layers.forEach(function (l) {
      if (l[2] !== "apart") return;
      var members = data.nodes.filter(function (n) { return n.layer === l[0]; });
      headings.push({ layer: l[0], label: l[1], x: minX, y: y - 30, left: true });
      var x = minX, rowHeight = 0;
      members.forEach(function (n) {
        var b = box(n);
        if (x > minX && x + b.width > minX + width) { x = minX; y += rowHeight + 16; rowHeight = 0; }
        pos[n.id] = { x: x + b.width / 2, y: y + b.height / 2 };
        x += b.width + 18;
        rowHeight = Math.max(rowHeight, b.height);
      });
      y += rowHeight + 90;
    });
    var size = Math.max(13, Math.min(26, y / 40)); // headings grow with the picture, to stay legible
    headings.forEach(function (h) { // a heading wraps before it reaches its neighbours
      var gaps = headings.filter(function (o) { return !o.left && !h.left && o !== h; })
        .map(function (o) { return Math.abs(o.x - h.x) - 12; });
      h.size = size;
      h.wrap = Math.max(40, Math.min.apply(null, [size * 8].concat(gaps)));
    });
    return { pos: pos, headings: headings };
  }

  // ------------------------------------------------------------------ drawing: Cytoscape.js

  var placed = layout();
  var elements = data.nodes.map(function (n) {
    return { group: "nodes", classes: "entity" + (n.highlight ? " highlight" : ""), position: placed.pos[n.id],
      data: { id: n.id, name: n.name, layer: n.layer, colour: n.colour, border: n.border, d: n.size / 1.8 } };
  }).concat(placed.headings.map(function (h) {
    return { group: "nodes", classes: "heading" + (h.left ? " left" : ""), position: { x: h.x, y: h.y },
      data: { id: "heading:" + h.layer, name: h.label, layer: h.layer, size: h.size, wrap: h.wrap }, selectable: false, grabbable: false };
  }), data.edges.map(function (e) {
    var classes = (e.highlight ? "highlight " : "") + (e.group ? "group-" + e.group.replace(/\W/g, "_") : "");
    return { group: "edges", classes: classes, data: { id: e.key, source: e.source,
      target: e.target, colour: e.colour, w: e.width,
      label: e.predicate + (e.relations.length > 1 ? " \u00d7" + e.relations.length : "") } };
  }));

  var cy = cytoscape({
    container: document.getElementById("graph"),
    elements: elements,
    layout: { name: "preset", fit: false },
    minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: false,
    style: [
      { selector: "node.entity", style: {
        width: "data(d)", height: "data(d)", "background-color": "data(colour)",
        "border-color": "data(border)", "border-width": 2, label: "data(name)", "font-size": 11,
        "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": 128,
        color: "#1d1d1f", "text-outline-color": "#f6f7f9", "text-outline-width": 2 } },
      { selector: "node.highlight", style: { "border-width": 5, "font-weight": 700, "font-size": 13 } },
      { selector: "node.heading", style: {
        label: "data(name)", "background-opacity": 0, width: 1, height: 1, "font-size": "data(size)",
        "font-weight": 600, color: "#5a6270", "text-valign": "top", "text-wrap": "wrap",
        "text-max-width": "data(wrap)", events: "no" } },
      { selector: "node.heading.left", style: { "text-halign": "right" } },
      { selector: "edge", style: {
        width: "data(w)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.75,
        label: "data(label)", "font-size": 9, color: "#3b424d", "text-rotation": "autorotate",
        "text-background-color": "#f6f7f9", "text-background-opacity": 0.85, "text-background-padding": 1,
        "min-zoomed-font-size": 8 } },
      { selector: "edge.highlight", style: { opacity: 1, width: function (e) { return e.data("w") + 2; }, "font-weight": 600 } },
      { selector: "edge.group-against", style: { "line-style": "dashed" } }, // reasons against
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: "node.selected", style: { "border-color": "#111", "border-width": 4 } },
      { selector: "edge.selected", style: { width: 5, opacity: 1, "font-weight": 700 } },
      { selector: ".hidden", style: { display: "none" } }
    ]
  });

  function fit() { cy.fit(cy.elements(":visible"), 30); if (cy.zoom() > 1.6) { cy.zoom(1.6); cy.center(); } }

  // ------------------------------------------------------------------ selection and the panel

  function select(what) {
    cy.elements().removeClass("selected faded");
    if (!what) { showIntro(); return; }
    var ele = cy.getElementById(what), near = ele.isNode() ? ele.closedNeighborhood() : ele.union(ele.connectedNodes());
    cy.elements(".entity, edge").not(near).addClass("faded");
    ele.addClass("selected");
    if (ele.isNode()) showNode(nodeById[what]); else showEdge(edgeByKey[what]);
  }
  cy.on("tap", "node.entity", function (ev) { select(ev.target.id()); });
  cy.on("tap", "edge", function (ev) { select(ev.target.id()); });
  cy.on("tap", function (ev) { if (ev.target === cy) select(null); });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") select(null); });

  function field(dl, term, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    html("dt", term, dl);
    var dd = html("dd", null, dl);
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
  }

  function swatch(colour, parent, cls) {
    html("span", null, parent, cls || "swatch").style.background = colour;
  }

  function showIntro() {
    panel.textContent = "";
    panel.setAttribute("data-showing", "");
    html("h2", "How to read it", panel);
    html("p", "The mechanism reads left to right: drugs, their target and ligase, the neosubstrates they degrade, effectors and molecules, cells, then diseases and uses; side effects and resistance stand apart below.", panel);
    html("p", "Each circle is an entity, coloured by its category; each arrow a curated relation, labelled with its predicate (\u00d7n: several sources say it). Click one for its identifiers, evidence and citations; drag, pan and zoom freely; the boxes above hide layers and evidence levels; Escape clears.", panel);
  }

  function showNode(n) {
    panel.textContent = "";
    panel.setAttribute("data-showing", n.id);
    var h = html("h2", null, panel);
    swatch(n.colour, h);
    h.appendChild(document.createTextNode(n.name));
    var dl = html("dl", null, panel);
    field(dl, "identifier", n.id + (n.verified ? "" : " (not verified)"));
    field(dl, "category", n.category + (n.biolink ? " (" + n.biolink + ")" : ""));
    field(dl, "layer", data.layers.filter(function (l) { return l[0] === n.layer; })[0][1]);
    field(dl, "synonyms", n.synonyms);
    field(dl, "cross-references", n.xrefs);
    field(dl, "note", n.note);
    var mine = data.edges.filter(function (e) { return e.source === n.id || e.target === n.id; });
    html("h3", mine.length + " relation" + (mine.length === 1 ? "" : "s") + " shown", panel);
    var ul = html("ul", null, panel, "relations");
    mine.forEach(function (e) {
      var a = html("a", nodeById[e.source].name + " \u2014" + e.predicate + "\u2192 " + nodeById[e.target].name +
        (e.relations.length > 1 ? " (\u00d7" + e.relations.length + ")" : ""), html("li", null, ul));
      a.href = "#";
      a.addEventListener("click", function (ev) { ev.preventDefault(); select(e.key); });
    });
  }

  function showEdge(e) {
    var s = nodeById[e.source].name, t = nodeById[e.target].name;
    panel.textContent = "";
    panel.setAttribute("data-showing", e.key);
    var h = html("h2", s + " ", panel);
    html("span", e.predicate, h, "predicate").style.color = e.colour;
    h.appendChild(document.createTextNode(" " + t));
    if (e.description) html("p", s + " " + e.description + " " + t + ".", panel, "description");
    e.relations.forEach(function (r, i) {
      var box = html("section", null, panel, "relation");
      box.setAttribute("data-relation", r.id);
      if (e.relations.length > 1) html("h3", "Statement " + (i + 1) + " of " + e.relations.length, box);
      html("blockquote", r.paraphrase, box);
      var dl = html("dl", null, box);
      field(dl, "evidence", r.evidence + (r.evidence_text ? " \u2014 " + r.evidence_text : ""));
      r.qualifiers.forEach(function (q) { field(dl, q[0].replace(/_/g, " "), q[1]); });
      var src = html("span", r.source_citation || r.source);
      if (r.source_doi) { src.appendChild(document.createTextNode(" ")); doiLink(r.source_doi, src); }
      field(dl, "source", src);
      field(dl, "section", r.section);
      if (r.refs.length) {
        var refs = html("ul");
        r.refs.forEach(function (ref) {
          var li = html("li", "ref " + ref.number + (ref.title ? ": " + ref.title + (ref.year ? " (" + ref.year + ")" : "") : "") + " ", refs);
          if (ref.doi) doiLink(ref.doi, li);
        });
        field(dl, "references", refs);
      }
      var listed = r.refs.map(function (ref) { return ref.doi; });
      var others = r.primary_dois.filter(function (d) { return listed.indexOf(d) < 0; });
      if (others.length) {
        var prim = html("span");
        others.forEach(function (d, j) { if (j) prim.appendChild(document.createTextNode(", ")); doiLink(d, prim); });
        field(dl, "primary studies", prim);
      }
      field(dl, "relation id", r.id);
    });
  }

  // ------------------------------------------------------------------ filters and legend

  var form = document.getElementById("filters");
  function checkboxes(kind, title, rows) { // rows: [value, text, count, tooltip]
    if (!rows.length) return;
    var set = html("fieldset", null, form);
    set.setAttribute("data-kind", kind);
    html("legend", title, set);
    rows.forEach(function (row) {
      var label = html("label", null, set);
      if (row[3]) label.title = row[3];
      Object.assign(html("input", null, label), { type: "checkbox", checked: true, name: kind, value: row[0] });
      label.appendChild(document.createTextNode(" " + row[1] + " " + row[2]));
    });
  }
  checkboxes("layer", "layers", data.layers.map(function (l) { return [l[0], l[1], l[3]]; }));
  checkboxes("evidence", "evidence", data.evidence.map(function (v) { return [v[0], v[0].replace(/_/g, " "), v[2], v[1]]; }));
  checkboxes("group", "paths", data.groups.map(function (g) { return [g[0], g[0], g[1]]; }));

  function applyFilters() {
    var on = { layer: {}, evidence: {}, group: {} };
    Array.prototype.forEach.call(form.querySelectorAll("input"), function (i) { on[i.name][i.value] = i.checked; });
    var shown = {}; // worked out before the batch: inside it, Cytoscape's styles are not yet updated
    data.edges.forEach(function (e) {
      shown[e.key] = on.layer[nodeById[e.source].layer] && on.layer[nodeById[e.target].layer] &&
        e.levels.some(function (l) { return on.evidence[l]; }) && (!e.group || on.group[e.group]);
    });
    cy.batch(function () {
      cy.edges().forEach(function (ele) { ele.toggleClass("hidden", !shown[ele.id()]); });
      cy.nodes().forEach(function (ele) {
        var n = nodeById[ele.id()], edges = ele.connectedEdges();
        var kept = !n || n.highlight || !edges.length || edges.some(function (e) { return shown[e.id()]; });
        ele.toggleClass("hidden", !on.layer[ele.data("layer")] || !kept);
      });
    });
  }
  form.addEventListener("change", applyFilters);

  [["categories", "category", "swatch"], ["predicates", "predicate", "stroke"]].forEach(function (kind) {
    var ul = html("ul", null, document.getElementById("legend"), kind[0]);
    data.legend[kind[0]].forEach(function (row) { // [name, colour, count]
      var li = html("li", null, ul);
      li.setAttribute("data-" + kind[1], row[0]);
      swatch(row[1], li, kind[2]);
      li.appendChild(document.createTextNode(row[0] + " " + row[2]));
    });
  });

  document.getElementById("title").textContent = data.title;
  document.getElementById("note").textContent = data.note;
  document.getElementById("fit").addEventListener("click", fit);
  // fit whenever the picture's box changes size: also when it first gets one, which in a
  // notebook's iframe can come after this script has run
  new ResizeObserver(function () { cy.resize(); fit(); }).observe(document.getElementById("graph"));
  showIntro();
  fit();
  window.imidgraph = { cy: cy, data: data, select: select };
  document.body.setAttribute("data-ready", "true");
})();
