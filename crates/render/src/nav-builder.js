/* didact: completes the sidebar. This is the top of the generated assets/nav.js
   (crates/render/src/nav.rs), whose last line calls didactNav with every top-level entry
   ([url, title, isModule], URLs relative to the site's root). A page's HTML holds only its
   own module (or its own entry), so that pages do not grow with the course; this inserts the
   other entries in order around it. Loaded right after the sidebar, before the content, so
   the full list is there at the first paint. Titles go in as text. */
window.didactNav = function (entries) {
  "use strict";
  var doc = document;
  var list = doc.querySelector("#sidebar .nav-list");
  if (!list || !Array.isArray(entries)) return;
  var root = doc.body.getAttribute("data-root") || "";
  var current = doc.body.getAttribute("data-page") + ".html";
  var own = {};
  Array.prototype.forEach.call(list.children, function (li) {
    var link = li.querySelector("a[data-page]");
    if (link) own[link.getAttribute("data-page")] = li;
  });
  var items = doc.createDocumentFragment();
  entries.forEach(function (entry) {
    var url = String(entry[0]);
    var li = own[url];
    if (!li) {
      li = doc.createElement("li");
      li.className = entry[2] ? "nav-module" : "nav-page";
      var link = doc.createElement("a");
      link.setAttribute("href", root + url);
      link.setAttribute("data-page", url);
      if (url === current) link.setAttribute("aria-current", "page");
      link.textContent = String(entry[1]);
      li.appendChild(link);
    }
    items.appendChild(li);
  });
  list.textContent = "";
  list.appendChild(items);
};
