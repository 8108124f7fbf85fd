// imidgraph pages: the search box's suggestions as one types (names, brands, synonyms, or a
// question's target), fetched from /api/suggest; every text is set as text, never as HTML.
(function () {
  "use strict";
  var input = document.getElementById("q"), list = document.getElementById("suggestions");
  if (!input || !list) return;
  var timer = null, asked = 0;

  function entityHref(id) { return "/entity/" + encodeURIComponent(id).replace(/%3A/g, ":"); }

  function show(data) {
    list.textContent = "";
    data.suggestions.forEach(function (s) {
      var li = document.createElement("li"), a = document.createElement("a");
      li.setAttribute("role", "option");
      if (data.question) {
        a.href = "/explain?" + new URLSearchParams({ drug: data.question.drug.name, target: s.name }).toString();
        a.textContent = "why does " + data.question.drug.name + " help " + s.name + "?";
      } else {
        a.href = entityHref(s.id);
        a.textContent = s.by === "synonym" ? s.text + " \u2192 " + s.name : s.name;
        var small = document.createElement("small");
        small.textContent = " " + s.category;
        a.appendChild(small);
      }
      a.className = "suggestion";
      li.appendChild(a);
      list.appendChild(li);
    });
    list.setAttribute("data-for", data.query);
  }

  function ask() {
    var text = input.value, mine = ++asked;
    if (!text.trim()) { list.textContent = ""; return; }
    fetch("/api/suggest?" + new URLSearchParams({ q: text }).toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === asked) show(data); })
      .catch(function () { /* no suggestions: the form still searches */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (ev) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && links.length) { ev.preventDefault(); links[0].focus(); }
    else if (ev.key === "Escape") { list.textContent = ""; }
    return at;
  });
  list.addEventListener("keydown", function (ev) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && at < links.length - 1) { ev.preventDefault(); links[at + 1].focus(); }
    if (ev.key === "ArrowUp") { ev.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
  });
})();
