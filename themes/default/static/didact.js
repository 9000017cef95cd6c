/* didact page glue: loads nothing itself (the runtime is a classic script with the wasm bytes
   inlined), wires the sidebar toggle, and mounts the widgets once the runtime is ready.
   Decisions about answers, money or progress belong in Rust (crates/web). */
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var sidebar = document.getElementById("sidebar");
  if (toggle && sidebar) {
    toggle.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  if (window.didactRuntime) {
    window.didactRuntime.then(function (runtime) {
      runtime.mount();
      document.documentElement.setAttribute("data-runtime", "ready");
    }).catch(function (error) {
      document.documentElement.setAttribute("data-runtime", "failed");
      console.error("didact: the interactive runtime failed to start", error);
    });
  }
})();
