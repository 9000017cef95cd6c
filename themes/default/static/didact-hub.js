/* didact storage hub (storage.html, embedded by every page in a hidden iframe).
   This one file owns the course's progress document, so pages opened from file:// share it
   even where each file has its own storage (Firefox). It stores and answers, and decides
   nothing: the page merges (progress_merge in crates/web/src/progress.rs) and writes back
   with a compare-and-set, retrying when another page wrote in between. Requests come from
   the parent page only:
     {didactHub: 1, id, op: "get"}                          -> {value}
     {didactHub: 1, id, op: "cas", expect, value, aside}    -> {value, conflict}
   (aside: keep the unreadable copy under didact-hub:<course>:corrupt before replacing it);
   every answer is {didactHub: 1, id, ok, value, error, conflict, persistent}. */
(function () {
  "use strict";
  var parentWindow = window.parent;
  if (!parentWindow || parentWindow === window) return;
  var course = document.body.getAttribute("data-course") || "course";
  var key = "didact-hub:" + course;
  // From file:// every origin is "null": replies then go to "*", but only to our parent.
  var fileOrigin = location.protocol === "file:";
  var target = fileOrigin ? "*" : location.origin;
  var persistent = true;
  try {
    localStorage.setItem(key + ":probe", "1");
    localStorage.removeItem(key + ":probe");
  } catch (e) {
    persistent = false;
  }

  function reply(message) {
    message.didactHub = 1;
    message.persistent = persistent;
    parentWindow.postMessage(message, target);
  }
  function read() {
    try { return localStorage.getItem(key) || ""; } catch (e) { return ""; }
  }
  function write(name, value) {
    try { localStorage.setItem(name, value); return true; } catch (e) { return false; }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== parentWindow) return;
    if (!fileOrigin && event.origin !== location.origin) return;
    var message = event.data;
    if (!message || message.didactHub !== 1 || typeof message.op !== "string") return;
    var id = message.id;
    if (message.op === "get") {
      reply({ id: id, ok: true, value: read() });
      return;
    }
    if (message.op !== "cas" || typeof message.value !== "string" || typeof message.expect !== "string") {
      reply({ id: id, ok: false, error: "unknown request" });
      return;
    }
    var stored = read();
    if (stored !== message.expect) {
      reply({ id: id, ok: true, conflict: true, value: stored });
      return;
    }
    if (message.aside && stored) write(key + ":corrupt", stored);
    if (!write(key, message.value)) persistent = false;
    reply({ id: id, ok: true, value: message.value });
  });
  reply({ ready: true });
})();
