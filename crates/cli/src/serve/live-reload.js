// didact serve: live reload and the diagnostics overlay. Injected into served pages only,
// never into built output. Long polling on the same origin: no external request.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = Number(script.getAttribute("data-generation"));
  var page = location.pathname;

  function showOverlay(text) {
    var box = document.getElementById("didact-overlay");
    if (!text) {
      if (box) box.parentNode.removeChild(box);
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "didact-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:1rem;z-index:2147483647;overflow:auto;padding:1rem 1.25rem;" +
        "background:#1d1f21;color:#f8f8f2;border:3px solid #e5534b;border-radius:6px;" +
        "font:14px/1.45 ui-monospace,monospace;box-shadow:0 4px 24px rgba(0,0,0,.5)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("p");
    title.style.cssText = "margin:0 0 .75rem;font-weight:bold;color:#ff938a";
    title.textContent = "Le cours contient des erreurs : la dernière version correcte reste affichée. " +
      "Corrigez le fichier, cette fenêtre disparaîtra d’elle-même.";
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:0;white-space:pre-wrap";
    pre.textContent = text;
    box.appendChild(title);
    box.appendChild(pre);
  }

  function poll(wait) {
    var request = new XMLHttpRequest();
    request.open("GET", "/__didact/events?since=" + generation + "&wait=" + wait +
      "&page=" + encodeURIComponent(page));
    request.onload = function () {
      var event = null;
      try { event = JSON.parse(request.responseText); } catch (e) { event = null; }
      if (!event) { setTimeout(function () { poll(1); }, 1000); return; }
      if (event.reload) { location.reload(); return; }
      generation = event.generation;
      showOverlay(event.errors);
      poll(1);
    };
    // The server stopped or restarts: try again quietly.
    request.onerror = function () { setTimeout(function () { poll(1); }, 1000); };
    request.send();
  }

  poll(0);
})();
