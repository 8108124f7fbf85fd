// imidgraph offline view: draws the subgraph embedded in #imidgraph-data as SVG.
// Plain JavaScript, no library and no network. The layout is a small force simulation that
// starts from fixed positions and runs a fixed number of steps, so a page always looks the
// same. Drag a node to move it, drag the background to pan, wheel to zoom; click a node or an
// edge for its details and citations.
(function () {
  "use strict";

  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("imidgraph-data").textContent);
  var svg = document.getElementById("graph");
  var viewport = document.getElementById("viewport");
  var edgeLayer = document.getElementById("edges");
  var nodeLayer = document.getElementById("nodes");
  var panel = document.getElementById("panel");
  var STEPS = 400;
  var LINK = 190;

  var nodes = data.nodes.map(function (n) {
    return Object.assign({}, n, { x: 0, y: 0, vx: 0, vy: 0, r: n.size / 3.2 });
  });
  var byId = {};
  nodes.forEach(function (n) { byId[n.id] = n; });
  var edges = data.edges.map(function (e) {
    var text = e.predicate + (e.relations.length > 1 ? " \u00d7" + e.relations.length : "");
    return Object.assign({}, e, { s: byId[e.source], t: byId[e.target], bend: 0, text: text });
  });

  // ------------------------------------------------------------------ helpers

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(tag, text, parent, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }

  function link(href, text, parent) {
    var a = html("a", text, parent);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function doiLink(doi, parent) {
    return link("https://doi.org/" + doi, "doi:" + doi, parent);
  }

  var degree = {};
  edges.forEach(function (e) {
    degree[e.source] = (degree[e.source] || 0) + 1;
    degree[e.target] = (degree[e.target] || 0) + 1;
  });
  // an edge of a hub carries its label near its other end, where there is room
  edges.forEach(function (e) {
    var ds = degree[e.source], dt = degree[e.target];
    e.at = Math.max(ds, dt) < 8 || ds === dt ? 0.5 : ds > dt ? 0.68 : 0.32;
  });

  // ------------------------------------------------------------------ parallel edges bend apart

  (function () {
    var pairs = {};
    edges.forEach(function (e) {
      var key = e.source < e.target ? e.source + "\u0000" + e.target : e.target + "\u0000" + e.source;
      (pairs[key] = pairs[key] || []).push(e);
    });
    Object.keys(pairs).forEach(function (key) {
      var group = pairs[key];
      var lowFirst = group[0].source < group[0].target ? group[0].source : group[0].target;
      group.forEach(function (e, i) {
        var bend = (i - (group.length - 1) / 2) * 64;
        e.bend = e.source === lowFirst ? bend : -bend; // the same side whatever the direction
        if (e.source === e.target) e.bend = 60 + 30 * i;
      });
    });
  })();

  // ------------------------------------------------------------------ layout

  function layout() {
    var focus = nodes.filter(function (n) { return n.highlight; });
    var rest = nodes.filter(function (n) { return !n.highlight; });
    var order = {};
    data.legend.categories.forEach(function (c, i) { order[c[0]] = i; });
    var predicateOrder = {};
    data.legend.predicates.forEach(function (p, i) { predicateOrder[p[0]] = i; });
    var via = {};
    edges.forEach(function (e) {
      [e.source, e.target].forEach(function (id) {
        if (!(id in via) || predicateOrder[e.predicate] < predicateOrder[via[id]]) via[id] = e.predicate;
      });
    });
    rest.sort(function (a, b) {
      return (order[a.category] - order[b.category]) ||
        (predicateOrder[via[a.id]] - predicateOrder[via[b.id]]) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    // A large star (every edge touches the one entity it is about) reads best as a wheel:
    // neighbours on a circle, grouped by category, their labels pointing outwards.
    var star = focus.length === 1 && rest.length > 24 && edges.every(function (e) {
      return e.s === focus[0] || e.t === focus[0];
    });
    if (star) {
      var radius = Math.max(260, (rest.length * 30) / (2 * Math.PI));
      focus[0].x = 0; focus[0].y = 0;
      rest.forEach(function (n, i) {
        n.angle = -Math.PI / 2 + (2 * Math.PI * i) / rest.length;
        n.x = radius * Math.cos(n.angle);
        n.y = radius * Math.sin(n.angle);
        n.r = Math.min(n.r, 11);
      });
      return;
    }
    var pinned = focus.length === 1 && nodes.length > 1;
    focus.forEach(function (n, i) {
      var angle = (2 * Math.PI * i) / Math.max(focus.length, 1);
      var radius = focus.length > 1 ? 60 * Math.sqrt(focus.length) : 0;
      n.x = radius * Math.cos(angle);
      n.y = radius * Math.sin(angle);
    });
    var golden = Math.PI * (3 - Math.sqrt(5));
    rest.forEach(function (n, i) {
      var radius = 120 + 46 * Math.sqrt(i + 1);
      n.x = radius * Math.cos(i * golden);
      n.y = radius * Math.sin(i * golden);
    });

    var count = nodes.length;
    var repulse = 9000;
    for (var step = 0; step < STEPS; step++) {
      var alpha = 1 - step / STEPS;
      var i, j, a, b, dx, dy, d2, d, f;
      for (i = 0; i < count; i++) {
        a = nodes[i];
        for (j = i + 1; j < count; j++) {
          b = nodes[j];
          dx = a.x - b.x; dy = a.y - b.y;
          d2 = dx * dx + dy * dy;
          if (d2 < 1) { dx = (i - j) * 0.5; dy = 0.5; d2 = dx * dx + dy * dy; }
          if (d2 > 640000) continue; // 800 px: far apart enough
          d = Math.sqrt(d2);
          f = (repulse * alpha) / d2;
          var min = a.r + b.r + 26;
          if (d < min) f += (min - d) * 0.5;
          a.vx += (dx / d) * f; a.vy += (dy / d) * f;
          b.vx -= (dx / d) * f; b.vy -= (dy / d) * f;
        }
      }
      edges.forEach(function (e) {
        if (e.s === e.t) return;
        dx = e.t.x - e.s.x; dy = e.t.y - e.s.y;
        d = Math.sqrt(dx * dx + dy * dy) || 1;
        var hub = Math.max(degree[e.source], degree[e.target]);
        var length = Math.max(LINK + Math.min(hub, 60) * 4, e.text.length * 6.2 + e.s.r + e.t.r + 30);
        f = ((d - length) * 0.04 * alpha) / Math.max(1, Math.sqrt(Math.min(degree[e.source], degree[e.target])));
        e.s.vx += (dx / d) * f; e.s.vy += (dy / d) * f;
        e.t.vx -= (dx / d) * f; e.t.vy -= (dy / d) * f;
      });
      nodes.forEach(function (n) {
        n.vx -= n.x * 0.004 * alpha;
        n.vy -= n.y * 0.004 * alpha;
        n.vx *= 0.55; n.vy *= 0.55;
        var speed = Math.sqrt(n.vx * n.vx + n.vy * n.vy);
        if (speed > 40) { n.vx *= 40 / speed; n.vy *= 40 / speed; }
        if (pinned && n.highlight) { n.vx = 0; n.vy = 0; return; }
        n.x += n.vx; n.y += n.vy;
      });
    }
  }

  // ------------------------------------------------------------------ drawing

  var markers = {};
  function marker(colour) {
    if (markers[colour]) return markers[colour];
    var id = "arrow-" + Object.keys(markers).length;
    var m = el("marker", {
      id: id, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7",
      orient: "auto-start-reverse", markerUnits: "userSpaceOnUse"
    }, document.getElementById("markers"));
    m.setAttribute("markerWidth", "11");
    m.setAttribute("markerHeight", "11");
    el("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }, m);
    markers[colour] = "url(#" + id + ")";
    return markers[colour];
  }

  function geometry(e) {
    var s = e.s, t = e.t;
    if (s === t) {
      var top = { x: s.x, y: s.y - s.r };
      return {
        d: "M" + (s.x - 8) + "," + (s.y - s.r + 2) + " C" + (s.x - e.bend) + "," + (s.y - s.r - e.bend) +
          " " + (s.x + e.bend) + "," + (s.y - s.r - e.bend) + " " + (s.x + 8) + "," + (s.y - s.r + 2),
        lx: top.x, ly: top.y - e.bend * 0.8, angle: 0
      };
    }
    var dx = t.x - s.x, dy = t.y - s.y;
    var len = Math.sqrt(dx * dx + dy * dy) || 1;
    var nx = -dy / len, ny = dx / len;
    var cx = (s.x + t.x) / 2 + nx * e.bend, cy = (s.y + t.y) / 2 + ny * e.bend;
    function toward(from, px, py, gap) {
      var ex = px - from.x, ey = py - from.y, l = Math.sqrt(ex * ex + ey * ey) || 1;
      return { x: from.x + (ex / l) * gap, y: from.y + (ey / l) * gap };
    }
    var a = toward(s, cx, cy, s.r + 2);
    var b = toward(t, cx, cy, t.r + 3);
    var room = Math.sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)) || 1;
    var keep = (e.text.length * 5.6) / 2 + 10; // the label stays clear of the end node
    var u = e.at > 0.5 ? Math.max(0.5, Math.min(e.at, 1 - keep / room))
      : e.at < 0.5 ? Math.min(0.5, Math.max(e.at, keep / room)) : 0.5;
    var w0 = (1 - u) * (1 - u), w1 = 2 * u * (1 - u), w2 = u * u;
    var tx = (1 - u) * (cx - a.x) + u * (b.x - cx), ty = (1 - u) * (cy - a.y) + u * (b.y - cy);
    var angle = (Math.atan2(ty, tx) * 180) / Math.PI;
    if (angle > 90) angle -= 180; else if (angle < -90) angle += 180; // never upside down
    return {
      d: "M" + a.x.toFixed(1) + "," + a.y.toFixed(1) + " Q" + cx.toFixed(1) + "," + cy.toFixed(1) +
        " " + b.x.toFixed(1) + "," + b.y.toFixed(1),
      lx: w0 * a.x + w1 * cx + w2 * b.x,
      ly: w0 * a.y + w1 * cy + w2 * b.y,
      angle: angle
    };
  }

  function drawEdge(e) {
    var g = el("g", {
      class: "edge" + (e.highlight ? " highlight" : ""),
      "data-key": e.key,
      "data-relations": e.relations.map(function (r) { return r.id; }).join(" "),
      "data-source": e.source,
      "data-target": e.target,
      "data-predicate": e.predicate,
      tabindex: "0"
    }, edgeLayer);
    el("title", {}, g).textContent = e.s.name + " " + e.predicate + " " + e.t.name;
    e.hit = el("path", { class: "hit" }, g);
    e.line = el("path", {
      class: "line", stroke: e.colour, "stroke-width": String(e.width + (e.highlight ? 2 : 0)),
      "marker-end": marker(e.colour)
    }, g);
    e.label = el("text", { class: "elabel", "text-anchor": "middle", dy: "-0.35em" }, g);
    e.label.textContent = e.text;
    e.g = g;
    g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") select({ edge: e }); });
  }

  function drawNode(n) {
    var g = el("g", {
      class: "node" + (n.highlight ? " highlight" : ""),
      "data-id": n.id,
      "data-category": n.category,
      tabindex: "0"
    }, nodeLayer);
    el("title", {}, g).textContent = n.name + " (" + n.category + ", " + n.id + ")";
    el("circle", { r: n.r.toFixed(1), fill: n.colour, stroke: n.border }, g);
    var text;
    if (n.angle === undefined) {
      text = el("text", { class: "nlabel", "text-anchor": "middle", y: (n.r + 13).toFixed(1) }, g);
    } else { // on a wheel: along the spoke, outwards, never upside down
      var left = Math.cos(n.angle) < 0;
      var degrees = (n.angle * 180) / Math.PI + (left ? 180 : 0);
      text = el("text", {
        class: "nlabel", "text-anchor": left ? "end" : "start", dy: "0.35em",
        x: ((left ? -1 : 1) * (n.r + 5)).toFixed(1), transform: "rotate(" + degrees.toFixed(1) + ")"
      }, g);
    }
    text.textContent = n.name;
    n.g = g;
    g.addEventListener("pointerdown", function (ev) { startDrag(ev, n); });
    g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") select({ node: n }); });
  }

  function place() {
    nodes.forEach(function (n) {
      n.g.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")");
    });
    edges.forEach(placeEdge);
  }

  function placeEdge(e) {
    var geo = geometry(e);
    e.line.setAttribute("d", geo.d);
    e.hit.setAttribute("d", geo.d);
    e.label.setAttribute("transform", "translate(" + geo.lx.toFixed(1) + "," + geo.ly.toFixed(1) + ") rotate(" + geo.angle.toFixed(1) + ")");
  }

  // ------------------------------------------------------------------ pan, zoom, drag

  var view = { x: 0, y: 0, k: 1 };
  function applyView() {
    viewport.setAttribute("transform", "translate(" + view.x.toFixed(1) + "," + view.y.toFixed(1) + ") scale(" + view.k.toFixed(4) + ")");
  }

  function fit() {
    if (!nodes.length) return;
    var box = svg.getBoundingClientRect();
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    nodes.forEach(function (n) {
      if (n.angle !== undefined) { // a wheel: the label runs outwards from the node
        var reach = n.r + 8 + n.name.length * 6.6;
        var ex = n.x + Math.cos(n.angle) * reach, ey = n.y + Math.sin(n.angle) * reach;
        minX = Math.min(minX, n.x - n.r, ex); maxX = Math.max(maxX, n.x + n.r, ex);
        minY = Math.min(minY, n.y - n.r, ey - 6); maxY = Math.max(maxY, n.y + n.r, ey + 6);
        return;
      }
      var half = Math.max(n.r, n.name.length * 3.4);
      minX = Math.min(minX, n.x - half); maxX = Math.max(maxX, n.x + half);
      minY = Math.min(minY, n.y - n.r); maxY = Math.max(maxY, n.y + n.r + 18);
    });
    var pad = 30;
    var k = Math.min((box.width - 2 * pad) / Math.max(maxX - minX, 1), (box.height - 2 * pad) / Math.max(maxY - minY, 1), 1.6);
    view.k = k;
    view.x = box.width / 2 - k * (minX + maxX) / 2;
    view.y = box.height / 2 - k * (minY + maxY) / 2;
    applyView();
  }

  function toGraph(ev) {
    var box = svg.getBoundingClientRect();
    return { x: (ev.clientX - box.left - view.x) / view.k, y: (ev.clientY - box.top - view.y) / view.k };
  }

  var drag = null;
  function startDrag(ev, n) {
    ev.stopPropagation();
    var p = toGraph(ev);
    drag = { node: n, dx: n.x - p.x, dy: n.y - p.y, moved: 0, sx: ev.clientX, sy: ev.clientY };
    svg.setPointerCapture(ev.pointerId);
  }

  svg.addEventListener("pointerdown", function (ev) {
    drag = { pan: true, x: view.x, y: view.y, sx: ev.clientX, sy: ev.clientY, moved: 0 };
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    drag.moved = Math.max(drag.moved, Math.abs(ev.clientX - drag.sx) + Math.abs(ev.clientY - drag.sy));
    if (drag.pan) {
      view.x = drag.x + ev.clientX - drag.sx;
      view.y = drag.y + ev.clientY - drag.sy;
      applyView();
    } else if (drag.moved > 3) {
      var p = toGraph(ev);
      drag.node.x = p.x + drag.dx;
      drag.node.y = p.y + drag.dy;
      drag.node.g.setAttribute("transform", "translate(" + drag.node.x.toFixed(1) + "," + drag.node.y.toFixed(1) + ")");
      edges.forEach(function (e) { if (e.s === drag.node || e.t === drag.node) placeEdge(e); });
    }
  });
  svg.addEventListener("pointerup", function (ev) {
    var d = drag;
    drag = null;
    if (!d || d.moved > 3) return;
    if (d.node) { select({ node: d.node }); return; }
    var target = document.elementFromPoint(ev.clientX, ev.clientY);
    var edgeG = target && target.closest ? target.closest("g.edge") : null;
    if (edgeG) {
      var key = edgeG.getAttribute("data-key");
      edges.forEach(function (e) { if (e.key === key) select({ edge: e }); });
    } else {
      select(null);
    }
  });
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var box = svg.getBoundingClientRect();
    var px = ev.clientX - box.left, py = ev.clientY - box.top;
    var k = Math.min(4, Math.max(0.1, view.k * Math.exp(-ev.deltaY * 0.0015)));
    view.x = px - ((px - view.x) * k) / view.k;
    view.y = py - ((py - view.y) * k) / view.k;
    view.k = k;
    applyView();
  }, { passive: false });
  document.getElementById("fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") select(null); });

  // ------------------------------------------------------------------ the panel

  var selected = null;
  function select(what) {
    selected = what;
    svg.classList.toggle("focused", !!what);
    nodes.forEach(function (n) { n.g.classList.remove("selected", "near"); });
    edges.forEach(function (e) { e.g.classList.remove("selected", "near"); });
    if (what && what.node) {
      what.node.g.classList.add("selected");
      edges.forEach(function (e) {
        if (e.s === what.node || e.t === what.node) {
          e.g.classList.add("near");
          e.s.g.classList.add("near");
          e.t.g.classList.add("near");
        }
      });
      showNode(what.node);
    } else if (what && what.edge) {
      what.edge.g.classList.add("selected");
      what.edge.s.g.classList.add("near");
      what.edge.t.g.classList.add("near");
      showEdge(what.edge);
    } else {
      showIntro();
    }
  }

  function field(dl, term, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    html("dt", term, dl);
    var dd = html("dd", null, dl);
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
    return dd;
  }

  function swatch(colour, parent) {
    var s = html("span", null, parent, "swatch");
    s.style.background = colour;
    return s;
  }

  function showIntro() {
    panel.textContent = "";
    panel.setAttribute("data-showing", "");
    html("h2", "How to read it", panel);
    html("p", "Each circle is an entity, coloured by its category; each arrow a curated relation, labelled with its predicate (\u00d7n: several sources say it).", panel);
    html("p", "Click a node or an edge to see its identifiers, qualifiers, evidence and citations. Drag nodes to move them, drag the background to pan, use the wheel to zoom; Escape clears.", panel);
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
    field(dl, "synonyms", n.synonyms);
    field(dl, "cross-references", n.xrefs);
    field(dl, "note", n.note);
    var mine = edges.filter(function (e) { return e.s === n || e.t === n; });
    html("h3", mine.length + " relation" + (mine.length === 1 ? "" : "s") + " shown", panel);
    var ul = html("ul", null, panel, "relations");
    mine.forEach(function (e) {
      var li = html("li", null, ul);
      var a = html("a", e.s.name + " \u2014" + e.predicate + "\u2192 " + e.t.name + (e.relations.length > 1 ? " (\u00d7" + e.relations.length + ")" : ""), li);
      a.href = "#";
      a.addEventListener("click", function (ev) { ev.preventDefault(); select({ edge: e }); });
    });
  }

  function showEdge(e) {
    panel.textContent = "";
    panel.setAttribute("data-showing", e.key);
    var h = html("h2", null, panel);
    h.appendChild(document.createTextNode(e.s.name + " "));
    var p = html("span", e.predicate, h, "predicate");
    p.style.color = e.colour;
    h.appendChild(document.createTextNode(" " + e.t.name));
    if (e.description) html("p", e.s.name + " " + e.description + " " + e.t.name + ".", panel, "description");
    e.relations.forEach(function (r, i) {
      var box = html("section", null, panel, "relation");
      box.setAttribute("data-relation", r.id);
      if (e.relations.length > 1) html("h3", "Statement " + (i + 1) + " of " + e.relations.length, box);
      html("blockquote", r.paraphrase, box);
      var dl = html("dl", null, box);
      field(dl, "evidence", r.evidence + (r.evidence_text ? " \u2014 " + r.evidence_text : ""));
      r.qualifiers.forEach(function (q) { field(dl, q[0].replace(/_/g, " "), q[1]); });
      var src = document.createElement("span");
      src.appendChild(document.createTextNode(r.source_citation || r.source));
      if (r.source_doi) { src.appendChild(document.createTextNode(" ")); doiLink(r.source_doi, src); }
      field(dl, "source", src);
      field(dl, "section", r.section);
      if (r.refs.length) {
        var refs = document.createElement("ul");
        r.refs.forEach(function (ref) {
          var li = html("li", "ref " + ref.number + (ref.title ? ": " + ref.title + (ref.year ? " (" + ref.year + ")" : "") : "") + " ", refs);
          if (ref.doi) doiLink(ref.doi, li);
        });
        field(dl, "references", refs);
      }
      var listed = r.refs.map(function (ref) { return ref.doi; });
      var others = r.primary_dois.filter(function (d) { return listed.indexOf(d) < 0; });
      if (others.length) {
        var prim = document.createElement("span");
        others.forEach(function (d, j) {
          if (j) prim.appendChild(document.createTextNode(", "));
          doiLink(d, prim);
        });
        field(dl, "primary studies", prim);
      }
      field(dl, "relation id", r.id);
    });
  }

  // ------------------------------------------------------------------ title and legend

  function legend() {
    var box = document.getElementById("legend");
    var cats = html("ul", null, box, "categories");
    data.legend.categories.forEach(function (c) {
      var li = html("li", null, cats);
      li.setAttribute("data-category", c[0]);
      swatch(c[1], li);
      li.appendChild(document.createTextNode(c[0] + " " + c[2]));
    });
    var preds = html("ul", null, box, "predicates");
    data.legend.predicates.forEach(function (p) {
      var li = html("li", null, preds);
      li.setAttribute("data-predicate", p[0]);
      var line = html("span", null, li, "stroke");
      line.style.background = p[1];
      li.appendChild(document.createTextNode(p[0] + " " + p[2]));
    });
  }

  document.getElementById("title").textContent = data.title;
  document.getElementById("note").textContent = data.note;
  layout();
  edges.forEach(drawEdge);
  nodes.forEach(drawNode);
  place();
  legend();
  showIntro();
  fit();
  window.addEventListener("resize", fit);
  document.body.setAttribute("data-ready", "true");
})();
