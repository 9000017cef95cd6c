/* didact storage hub (storage.html, embedded by every page in a hidden iframe).
   This one file owns the course's progress document, so pages opened from file:// share it
   even where each file has its own storage (Firefox). It answers its parent page only:
     {didactHub: 1, id, op: "merge", value}   -> merges the page's document into its copy
     {didactHub: 1, id, op: "get"}            -> its copy
   with {didactHub: 1, id, ok, value, error, persistent}. The merge itself is Rust
   (progress_merge in crates/web/src/progress.rs); this glue only stores and answers. */
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
    if (message.op !== "merge" || typeof message.value !== "string") {
      reply({ id: id, ok: false, error: "unknown request" });
      return;
    }
    window.didactRuntime.then(function (runtime) {
      var stored = read();
      var merged;
      try {
        merged = runtime.progress_merge(stored, message.value, course);
      } catch (error) {
        // An unreadable copy is set aside, never destroyed; a bad request is refused.
        try {
          merged = runtime.progress_merge("", message.value, course);
        } catch (refused) {
          reply({ id: id, ok: false, error: String(refused && refused.message || refused) });
          return;
        }
        write(key + ":corrupt", stored);
      }
      if (!write(key, merged)) persistent = false;
      reply({ id: id, ok: true, value: merged });
    }, function (error) {
      reply({ id: id, ok: false, error: String(error && error.message || error) });
    });
  });
  reply({ ready: true });
})();
