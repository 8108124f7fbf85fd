// imidgraph offline view: the subgraph embedded in #imidgraph-data, drawn by Cytoscape.js and
// laid out by dagre (both inlined above this script). Our code only turns the data into
// elements, gives dagre each entity's column (its mechanism layer, computed in Python), puts
// the layers apart (side effects, resistance) in rows below, and fills the filters, legend
// and the panel of details and citations.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("imidgraph-data").textContent);
  var panel = document.getElementById("panel"), details = document.getElementById("details");
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

  // ------------------------------------------------------------------ what is drawn
  // A drug's summary (data.summary) draws at first its core route and one node a group; a
  // click on a group draws its members. An explanation's reasons (data.reasons) are drawn
  // one by one, as their boxes say. What is drawn is laid out again whenever that changes.

  var expanded = {}, revealed = {};
  var reasonOn = data.reasons.map(function (r) { return r[1]; });

  function present() { // {nodes: id -> true, edges: key -> true}: what is drawn now
    var nodes = {}, edges = {};
    data.nodes.forEach(function (n) { if (!data.summary || !n.group || expanded[n.group]) nodes[n.id] = true; });
    var member = function (id) { return !!nodeById[id].group; };
    data.edges.forEach(function (e) {
      if (!nodes[e.source] || !nodes[e.target]) return;
      if (data.summary && !e.route && !revealed[e.key] && !member(e.source) && !member(e.target)) return;
      if (data.reasons.length && e.reasons.length && !revealed[e.key] &&
          !e.reasons.some(function (k) { return reasonOn[k]; })) return;
      edges[e.key] = true;
    });
    if (data.reasons.length) { // an entity of no reason drawn goes too
      var ends = {};
      data.edges.forEach(function (e) { if (edges[e.key]) { ends[e.source] = ends[e.target] = true; } });
      Object.keys(nodes).forEach(function (id) { if (!ends[id] && !nodeById[id].highlight) delete nodes[id]; });
    }
    data.collapsed.forEach(function (g) { if (!expanded[g[0]]) nodes["group:" + g[0]] = true; });
    return { nodes: nodes, edges: edges };
  }

  // ------------------------------------------------------------------ layout: dagre, in columns

  function box(n) { // the room a node and its label (below it, wrapped at about 20 letters) take
    var d = n.size / 1.8, chars = Math.min(n.name.length, 20), lines = Math.ceil(n.name.length / 20);
    return { width: Math.max(d, chars * labelSize * 0.62), height: d + 4 + labelSize * 1.3 * Math.min(lines, 4) };
  }

  var groupByKey = {};
  data.collapsed.forEach(function (g) { groupByKey["group:" + g[0]] = g; });

  function groupNode(g) { // a group as a node of its layer, after its members
    return { id: "group:" + g[0], name: g[1] + " (" + g[3] + ")", layer: g[2], size: 44, order: 1e6, highlight: false };
  }

  function layout(shown) {
    var g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: "LR", ranker: "none", nodesep: READABLE ? 6 : 12, ranksep: READABLE ? 44 : 80, marginx: 0, marginy: 0 });
    var all = data.nodes.concat(data.collapsed.map(groupNode)).filter(function (n) { return shown.nodes[n.id]; });
    var main = all.filter(function (n) { return band[n.layer] === "mechanism"; });
    var column = {}, next = 0; // each layer's columns, left to right, as in Python (assign_columns)
    data.layers.forEach(function (l) {
      var members = main.filter(function (n) { return n.layer === l[0]; })
        .sort(function (a, b) { return a.order - b.order; });
      if (!members.length) return;
      var wide = Math.ceil(members.length / data.max_column), per = Math.ceil(members.length / wide);
      members.forEach(function (n, k) { column[n.id] = next + Math.floor(k / per); });
      next += wide;
    });
    main.forEach(function (n) {
      var b = box(n);
      g.setNode(n.id, { width: b.width, height: b.height, rank: 2 * column[n.id] });
    });
    // A long edge makes dagre reserve room for it in every column it crosses: in a large
    // picture only edges between neighbouring columns order the nodes, the others are drawn.
    var drawn = data.edges.filter(function (e) { return shown.edges[e.key]; });
    var few = !READABLE && drawn.length <= LONG_EDGES; // a summary: only neighbouring columns
    drawn.forEach(function (e) {
      var s = e.source, t = e.target;
      if (!g.hasNode(s) || !g.hasNode(t) || column[s] === column[t]) return;
      if (!few && Math.abs(column[s] - column[t]) > 1) return;
      var ends = column[s] < column[t] ? [s, t] : [t, s]; // ranks go left to right
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
    var apart = READABLE ? 64 : 90; // room for a row's heading
    var y = main.length ? maxY + apart : 0, width = Math.max(maxX - minX, 700);
    // a layer apart drawn only as its group (a summary) shares one row with the others so drawn
    var alone = all.filter(function (n) {
      return band[n.layer] === "apart" && groupByKey[n.id] &&
        !all.some(function (o) { return o.layer === n.layer && !groupByKey[o.id]; });
    });
    var rows = data.layers.filter(function (l) { return l[2] === "apart"; }).map(function (l) {
      return [l, all.filter(function (n) { return n.layer === l[0] && alone.indexOf(n) < 0; })];
    }).filter(function (r) { return r[1].length; });
    if (alone.length) rows.unshift([null, alone]);
    rows.forEach(function (row) {
      var l = row[0], members = row[1];
      if (l) headings.push({ layer: l[0], label: l[1], x: minX, y: y - 30, left: true });
      var x = minX, rowHeight = 0;
      members.forEach(function (n) {
        var b = box(n);
        if (x > minX && x + b.width > minX + width) { x = minX; y += rowHeight + 16; rowHeight = 0; }
        pos[n.id] = { x: x + b.width / 2, y: y + b.height / 2 };
        x += b.width + 18;
        rowHeight = Math.max(rowHeight, b.height);
      });
      y += rowHeight + apart;
    });
    // headings grow with a large picture, to stay legible; a summary's are read at zoom 1
    var size = READABLE ? 16 : Math.max(13, Math.min(26, y / 40));
    var row = [], em = 0.62; // about the width of a letter, in font sizes
    headings.forEach(function (h) { // a heading wraps before it reaches its neighbours; one that
      h.size = size;                // would still touch the last of its row stands a row higher
      if (h.left) { h.wrap = size * 30; return; }
      var gaps = headings.filter(function (o) { return !o.left && o !== h; })
        .map(function (o) { return Math.abs(o.x - h.x) - 16; });
      var longest = Math.max.apply(null, h.label.split(" ").map(function (w) { return w.length; }));
      h.wrap = Math.max(em * size * longest, Math.min.apply(null, [size * 8].concat(gaps)));
      var lines = Math.ceil(em * size * h.label.length / h.wrap);
      h.height = lines * size * 1.3 + 8;
      for (var k = 0; ; k++) {
        var last = row[k];
        if (!last || last.x + last.wrap / 2 + 8 <= h.x - h.wrap / 2) break;
      }
      h.y = -30 - (k ? row.slice(0, k).reduce(function (sum, o) { return sum + o.height; }, 0) : 0);
      row[k] = h;
    });
    return { pos: pos, headings: headings };
  }

  // ------------------------------------------------------------------ drawing: Cytoscape.js

  // A summary or an explanation's reasons: labels of 13 at a zoom of 11/13 at least, so that
  // none is rendered under 11 px; a larger picture is panned rather than shrunk.
  var labelSize = data.summary || data.reasons.length ? 13 : 11, edgeLabelSize = labelSize === 13 ? 13 : 9;
  var READABLE = labelSize === 13 ? 11 / 13 : 0; // the least zoom at first, if any
  var elements = data.nodes.map(function (n) {
    return { group: "nodes", classes: "entity" + (n.highlight ? " highlight" : ""), position: { x: 0, y: 0 },
      data: { id: n.id, name: n.name, layer: n.layer, colour: n.colour, border: n.border, d: n.size / 1.8 } };
  }).concat(data.collapsed.map(function (g) {
    var n = groupNode(g);
    return { group: "nodes", classes: "group", position: { x: 0, y: 0 },
      data: { id: n.id, name: n.name, layer: n.layer, group: g[0], count: g[3] } };
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
        "border-color": "data(border)", "border-width": 2, label: "data(name)", "font-size": labelSize,
        "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": labelSize * 12.4,
        color: "#1d1d1f", "text-outline-color": "#f6f7f9", "text-outline-width": 2 } },
      { selector: "node.highlight", style: { "border-width": 5, "font-weight": 700, "font-size": labelSize + 2 } },
      { selector: "node.group", style: {
        width: 24, height: 24, shape: "round-rectangle", "background-color": "#eef0f3", "border-color": "#8a93a3",
        "border-width": 2, "border-style": "dashed", label: "data(name)", "font-size": labelSize, "font-style": "italic",
        "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": labelSize * 12.4, color: "#3b424d" } },
      { selector: "node.heading", style: {
        label: "data(name)", "background-opacity": 0, width: 1, height: 1, "font-size": "data(size)",
        "font-weight": 600, color: "#5a6270", "text-valign": "top", "text-wrap": "wrap",
        "text-max-width": "data(wrap)", events: "no" } },
      { selector: "node.heading.left", style: { "text-halign": "right" } },
      { selector: "edge", style: {
        width: "data(w)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.75,
        label: "data(label)", "font-size": edgeLabelSize, color: "#3b424d", "text-rotation": "autorotate",
        "text-background-color": "#f6f7f9", "text-background-opacity": 0.85, "text-background-padding": 1,
        "min-zoomed-font-size": 8 } },
      { selector: "edge.highlight", style: { opacity: 1, width: function (e) { return e.data("w") + 2; }, "font-weight": 600 } },
      { selector: "edge.group-against", style: { "line-style": "dashed" } }, // reasons against
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: "node.selected", style: { "border-color": "#111", "border-width": 4 } },
      { selector: "edge.selected", style: { width: 5, opacity: 1, "font-weight": 700 } },
      { selector: ".hidden, .absent", style: { display: "none" } }
    ]
  });

  function draw() { // lay out what is drawn now, headings too, and apply the filters
    var shown = present(), placed = layout(shown);
    cy.batch(function () {
      cy.nodes(".heading").remove();
      cy.nodes(".entity, .group").forEach(function (ele) {
        var on = !!shown.nodes[ele.id()];
        ele.toggleClass("absent", !on);
        if (on) ele.position(placed.pos[ele.id()]);
      });
      cy.edges().forEach(function (ele) { ele.toggleClass("absent", !shown.edges[ele.id()]); });
      cy.add(placed.headings.map(function (h) {
        return { group: "nodes", classes: "heading" + (h.left ? " left" : ""), position: { x: h.x, y: h.y },
          data: { id: "heading:" + h.layer, name: h.label, layer: h.layer, size: h.size, wrap: h.wrap },
          selectable: false, grabbable: false };
      }));
    });
    applyFilters();
  }

  function fit() {
    var eles = cy.elements(":visible");
    cy.fit(eles, 30);
    if (cy.zoom() > 1.6) { cy.zoom(1.6); cy.center(eles); }
    if (cy.zoom() < READABLE) { // labels stay readable: the picture is panned rather than shrunk
      var bb = eles.boundingBox(), z = READABLE, w = cy.width(), h = cy.height();
      cy.zoom(z);
      cy.pan({ x: bb.w * z + 60 <= w ? (w - bb.w * z) / 2 - bb.x1 * z : 30 - bb.x1 * z,
        y: bb.h * z + 60 <= h ? (h - bb.h * z) / 2 - bb.y1 * z : 30 - bb.y1 * z });
    }
  }

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
  cy.on("tap", "node.group", function (ev) { expand(ev.target.data("group")); });

  function expand(key) { // a group's members drawn, with their relations to what is drawn
    expanded[key] = true;
    select(null);
    draw();
    fit();
    var members = cy.nodes(".entity").filter(function (n) { return nodeById[n.id()].group === key; });
    var ext = cy.extent(), bb = members.boundingBox();
    if (members.length && (bb.x1 < ext.x1 || bb.x2 > ext.x2 || bb.y1 < ext.y1 || bb.y2 > ext.y2)) cy.center(members);
  }

  function reveal(key) { // an edge listed in the panel, drawn with its ends (their groups expanded)
    var e = edgeByKey[key];
    revealed[key] = true;
    [e.source, e.target].forEach(function (id) { if (nodeById[id].group) expanded[nodeById[id].group] = true; });
    draw();
  }
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
    details.textContent = "";
    panel.setAttribute("data-showing", "");
    html("h2", "How to read it", details);
    html("p", "The mechanism reads left to right: drugs, their target and ligase, the neosubstrates they degrade, effectors and molecules, cells, then diseases and uses; side effects and resistance stand apart below.", details);
    html("p", "Each circle is an entity, coloured by its category; each arrow a curated relation, labelled with its predicate (\u00d7n: several sources say it). Click one for its identifiers, evidence and citations; drag, pan and zoom freely; the boxes above hide layers and evidence levels; Escape clears.", details);
    if (data.summary) html("p", "This is a summary: the drug's core route and its strongest cited relations. A dashed box stands for a group (its count in brackets): click it to draw its members; a node's other relations are listed when you click it; \u2018all\u2019 draws everything.", details);
  }

  function showNode(n) {
    details.textContent = "";
    panel.setAttribute("data-showing", n.id);
    var h = html("h2", null, details);
    swatch(n.colour, h);
    h.appendChild(document.createTextNode(n.name));
    var dl = html("dl", null, details);
    field(dl, "identifier", n.id + (n.verified ? "" : " (not verified)"));
    field(dl, "category", n.category + (n.biolink ? " (" + n.biolink + ")" : ""));
    field(dl, "layer", data.layers.filter(function (l) { return l[0] === n.layer; })[0][1]);
    field(dl, "synonyms", n.synonyms);
    field(dl, "cross-references", n.xrefs);
    field(dl, "note", n.note);
    var mine = data.edges.filter(function (e) { return e.source === n.id || e.target === n.id; });
    var drawn = present().edges, hidden = mine.filter(function (e) { return !drawn[e.key]; }).length;
    html("h3", mine.length + " relation" + (mine.length === 1 ? "" : "s") +
      (hidden ? ", " + (mine.length - hidden) + " drawn (click another to draw it)" : " shown"), details);
    var ul = html("ul", null, details, "relations");
    mine.forEach(function (e) {
      var a = html("a", nodeById[e.source].name + " \u2014" + e.predicate + "\u2192 " + nodeById[e.target].name +
        (e.relations.length > 1 ? " (\u00d7" + e.relations.length + ")" : ""), html("li", null, ul));
      a.href = "#";
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        if (cy.getElementById(e.key).hasClass("absent")) reveal(e.key);
        select(e.key);
      });
    });
  }

  function showEdge(e) {
    var s = nodeById[e.source].name, t = nodeById[e.target].name;
    details.textContent = "";
    panel.setAttribute("data-showing", e.key);
    var h = html("h2", s + " ", details);
    html("span", e.predicate, h, "predicate").style.color = e.colour;
    h.appendChild(document.createTextNode(" " + t));
    if (e.description) html("p", s + " " + e.description + " " + t + ".", details, "description");
    e.relations.forEach(function (r, i) {
      var box = html("section", null, details, "relation");
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
    var shown = {}, drawn = present().edges; // worked out before the batch: inside it, Cytoscape's styles are not yet updated
    data.edges.forEach(function (e) {
      shown[e.key] = drawn[e.key] && on.layer[nodeById[e.source].layer] && on.layer[nodeById[e.target].layer] &&
        e.levels.some(function (l) { return on.evidence[l]; }) && (!e.group || on.group[e.group]);
    });
    cy.batch(function () {
      cy.edges().forEach(function (ele) { ele.toggleClass("hidden", !shown[ele.id()]); });
      cy.nodes().forEach(function (ele) {
        var n = nodeById[ele.id()], edges = ele.connectedEdges().filter(function (e) { return drawn[e.id()]; });
        var kept = !n || n.highlight || !edges.length || edges.some(function (e) { return shown[e.id()]; });
        ele.toggleClass("hidden", !on.layer[ele.data("layer")] || !kept);
      });
    });
  }
  form.addEventListener("change", applyFilters);

  // an explanation's reasons, one box each: the first few drawn at first
  var reasonList = document.getElementById("reasons");
  if (data.reasons.length) {
    html("h2", "Reasons drawn", reasonList);
    html("p", "Each path of the explanation; tick one to draw it.", reasonList, "hint");
    data.reasons.forEach(function (r, k) {
      var label = html("label", null, reasonList);
      Object.assign(html("input", null, label), { type: "checkbox", checked: r[1], name: "reason", value: String(k) });
      label.appendChild(document.createTextNode(" " + r[0]));
    });
    reasonList.addEventListener("change", function (ev) {
      reasonOn[+ev.target.value] = ev.target.checked;
      select(null);
      draw();
      fit();
    });
  }

  var tools = document.getElementById("tools");
  if (data.collapsed.length) { // a summary: every group at once, or back to the summary
    [["all", "Draw every entity and relation", function () {
      data.collapsed.forEach(function (g) { expanded[g[0]] = true; });
      data.edges.forEach(function (e) { revealed[e.key] = true; });
    }], ["summary", "Back to the summary", function () { expanded = {}; revealed = {}; }]].forEach(function (b) {
      var button = html("button", b[0], tools);
      Object.assign(button, { type: "button", title: b[1], id: b[0] });
      button.addEventListener("click", function () { b[2](); select(null); draw(); fit(); });
    });
  }

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
  draw();
  showIntro();
  fit();
  window.imidgraph = { cy: cy, data: data, select: select, expand: expand };
  document.body.setAttribute("data-ready", "true");
})();
