/* didact page glue. It loads nothing from the network (the runtime is a classic script with
   the wasm bytes inlined; the search index is a classic script too), wires buttons and keys,
   and passes messages between the runtime and the storage hub. Decisions about answers,
   money, progress merges and search belong in Rust (crates/web). */
(function () {
  "use strict";
  var doc = document;
  var html = doc.documentElement;
  var body = doc.body;
  var course = body.getAttribute("data-course") || "course";
  var root = body.getAttribute("data-root") || "";
  var prefix = "didact:" + course + ":";
  var runtime = null;

  function $(selector, scope) { return (scope || doc).querySelector(selector); }
  function $all(selector, scope) { return Array.prototype.slice.call((scope || doc).querySelectorAll(selector)); }
  function getPref(name) { try { return localStorage.getItem(prefix + name); } catch (e) { return null; } }
  function setPref(name, value) {
    try {
      if (value === null) localStorage.removeItem(prefix + name); else localStorage.setItem(prefix + name, value);
    } catch (e) { /* storage refused: the choice lasts for this page only */ }
    flush();
  }

  /* Sidebar: shown beside the content on wide screens, over it on narrow ones; the button
     hides or shows it in both cases. */
  var layout = $("[data-layout]");
  var sidebar = doc.getElementById("sidebar");
  var sidebarToggle = $("[data-sidebar-toggle]");
  function sidebarShown() { return sidebar && getComputedStyle(sidebar).display !== "none"; }
  function syncSidebarButton() {
    if (sidebarToggle) sidebarToggle.setAttribute("aria-expanded", sidebarShown() ? "true" : "false");
  }
  if (sidebarToggle && sidebar && layout) {
    sidebarToggle.addEventListener("click", function () {
      layout.setAttribute("data-sidebar", sidebarShown() ? "closed" : "open");
      syncSidebarButton();
    });
    sidebar.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && window.matchMedia("(max-width: 50rem)").matches && sidebarShown()) {
        layout.setAttribute("data-sidebar", "closed");
        syncSidebarButton();
        sidebarToggle.focus();
      }
    });
    window.addEventListener("resize", syncSidebarButton);
    syncSidebarButton();
  }

  /* Theme: follows the system until the learner chooses; the choice is remembered. */
  var themeButton = $("[data-theme-toggle]");
  function currentTheme() {
    var chosen = html.getAttribute("data-theme");
    if (chosen) return chosen;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function showTheme() {
    if (!themeButton) return;
    var dark = currentTheme() === "dark";
    themeButton.setAttribute("aria-pressed", dark ? "true" : "false");
  }
  /* Applies the saved theme and text size (after another page or an import changed them). */
  function applyPrefs() {
    var theme = getPref("theme");
    if (theme === "light" || theme === "dark") html.setAttribute("data-theme", theme); else html.removeAttribute("data-theme");
    var size = parseFloat(getPref("text-size"));
    if (size >= 0.8 && size <= 2) html.style.setProperty("--size", size + "rem"); else html.style.removeProperty("--size");
    showTheme();
  }
  applyPrefs();
  /* Another page of the same storage (Chromium, online) changed a preference. */
  window.addEventListener("storage", function (event) {
    if (event.key === prefix + "theme" || event.key === prefix + "text-size") applyPrefs();
  });
  if (themeButton) {
    themeButton.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      html.setAttribute("data-theme", next);
      setPref("theme", next);
      showTheme();
    });
    showTheme();
  }

  /* Text size: a few steps, remembered. */
  var sizes = [0.875, 1, 1.125, 1.25, 1.5, 1.75];
  function sizeIndex() {
    var current = parseFloat(getPref("text-size")) || 1;
    var index = sizes.indexOf(current);
    return index < 0 ? 1 : index;
  }
  $all("[data-text-size]").forEach(function (button) {
    button.addEventListener("click", function () {
      var step = parseInt(button.getAttribute("data-text-size"), 10);
      var index = step === 0 ? 1 : Math.max(0, Math.min(sizes.length - 1, sizeIndex() + step));
      html.style.setProperty("--size", sizes[index] + "rem");
      setPref("text-size", index === 1 ? null : String(sizes[index]));
    });
  });

  /* Storage hub: one hidden storage.html shared by every page (see crates/web/src/progress.rs). */
  var hub = { frame: null, ready: false, queue: [], waiting: {}, nextId: 1, persistent: true };
  var storageWarning = $("[data-storage-warning]");
  function warnStorage() { if (storageWarning) storageWarning.hidden = false; }
  function localStorageWorks() {
    try {
      var probe = "didact:" + course + ":probe";
      localStorage.setItem(probe, "1");
      localStorage.removeItem(probe);
      return true;
    } catch (e) {
      return false;
    }
  }
  window.addEventListener("message", function (event) {
    if (!hub.frame || event.source !== hub.frame.contentWindow) return;
    var message = event.data;
    if (!message || message.didactHub !== 1) return;
    if (message.persistent === false && hub.persistent) {
      hub.persistent = false;
      warnStorage();
    }
    if (message.ready) {
      hub.ready = true;
      hub.queue.splice(0).forEach(send);
      return;
    }
    var waiting = hub.waiting[message.id];
    if (!waiting) return;
    delete hub.waiting[message.id];
    clearTimeout(waiting.timer);
    if (message.ok) waiting.resolve(message); else waiting.reject(new Error(message.error));
  });
  function send(request) {
    hub.frame.contentWindow.postMessage(request, location.protocol === "file:" ? "*" : location.origin);
  }
  function ask(request) {
    return new Promise(function (resolve, reject) {
      if (!hub.frame) { reject(new Error("no storage hub")); return; }
      var id = hub.nextId++;
      request.didactHub = 1;
      request.id = id;
      hub.waiting[id] = {
        resolve: resolve,
        reject: reject,
        timer: setTimeout(function () {
          delete hub.waiting[id];
          reject(new Error("the storage hub did not answer"));
        }, 5000)
      };
      if (hub.ready) send(request); else hub.queue.push(request);
    });
  }
  function openHub() {
    var frame = doc.createElement("iframe");
    frame.src = root + "storage.html";
    frame.title = "Stockage de la progression";
    frame.className = "storage-hub";
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    hub.frame = frame;
    body.appendChild(frame);
  }
  /* Merges the page's document into the hub's copy (compare-and-set, retried when another
     page wrote in between) and writes the result back into the page. */
  function exchange(documentJson) {
    function attempt(stored, tries) {
      var merged;
      var aside = false;
      try {
        merged = runtime.progress_merge(stored, documentJson, course);
      } catch (unreadable) {
        /* A trap is a bug of the runtime, not an unreadable copy: keep the copy where it is. */
        if (unreadable instanceof WebAssembly.RuntimeError) {
          console.error("didact: the runtime failed while merging progress", unreadable);
          throw unreadable;
        }
        merged = runtime.progress_merge("", documentJson, course);
        aside = true;
      }
      return ask({ op: "cas", expect: stored, value: merged, aside: aside }).then(function (answer) {
        if (answer.conflict) {
          if (tries < 5) return attempt(answer.value, tries + 1);
          throw new Error("the storage hub stayed busy");
        }
        var changed = runtime.progress_apply(course, answer.value, Date.now());
        applyPrefs();
        if (changed) runtime.progress_mount();
        return answer.value;
      });
    }
    return ask({ op: "get" }).then(function (answer) { return attempt(answer.value || "", 0); });
  }
  function pull() {
    if (!runtime) return Promise.resolve();
    return exchange(runtime.progress_local(course, Date.now()));
  }
  /* Sends what changed since the last exchange, if anything; cheap enough to call often. */
  function flush() {
    if (!runtime || !hub.frame) return;
    var changes = runtime.progress_changes(course, Date.now());
    if (changes) exchange(changes).catch(function () { warnStorage(); });
  }

  /* Search: the index is a classic script, loaded when the page is idle after loading (or
     at the first focus of the box, if sooner) and parsed by search_prepare right away, so
     that a keystroke only runs the query (a few ms): no debounce is needed. */
  var searchForm = $("[data-search-form]");
  var searchInput = doc.getElementById("recherche");
  var searchPanel = $("[data-search-panel]");
  var indexState = "none";
  function loadIndex() {
    if (indexState !== "none" || !runtime) return;
    indexState = "loading";
    var script = doc.createElement("script");
    script.src = root + "assets/search-index.js";
    script.onload = function () {
      indexState = "loaded";
      runtime.search_prepare();
      if (searchInput && searchInput.value.trim()) runSearch();
    };
    script.onerror = function () { indexState = "none"; };
    doc.head.appendChild(script);
  }
  function runSearch() {
    if (!runtime || !searchInput) return;
    var query = searchInput.value;
    if (!query.trim()) { closeSearch(); return; }
    if (indexState !== "loaded") { loadIndex(); return; }
    runtime.search_show(query);
    searchPanel.hidden = false;
  }
  function closeSearch() {
    if (searchPanel) searchPanel.hidden = true;
  }
  function resultLinks() { return $all("[data-search-results] a"); }
  if (searchForm && searchInput && searchPanel) {
    searchInput.addEventListener("focus", loadIndex);
    searchInput.addEventListener("input", runSearch);
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      runSearch();
      var first = resultLinks()[0];
      if (first) first.focus();
    });
    searchForm.addEventListener("keydown", function (event) {
      var links = resultLinks();
      var index = links.indexOf(doc.activeElement);
      if (event.key === "Escape") {
        if (!searchPanel.hidden) {
          closeSearch();
          searchInput.focus();
          event.preventDefault();
        }
      } else if (event.key === "ArrowDown" && links.length && !searchPanel.hidden) {
        links[index < 0 ? 0 : Math.min(links.length - 1, index + 1)].focus();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && index >= 0) {
        if (index === 0) searchInput.focus(); else links[index - 1].focus();
        event.preventDefault();
      }
    });
    searchForm.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !searchForm.contains(event.relatedTarget)) closeSearch();
    });
    doc.addEventListener("click", function (event) {
      if (!searchForm.contains(event.target)) closeSearch();
    });
  }

  /* « Ma progression »: export, import, reset. */
  var progressError = $("[data-progress-error]");
  var progressMessage = $("[data-progress-message]");
  function say(error, message) {
    if (progressError) progressError.textContent = error || "";
    if (progressMessage) progressMessage.textContent = message || "";
  }
  function afterPull(then) {
    pull().then(then, function () { warnStorage(); then(); });
  }
  $all("[data-progress-export]").forEach(function (button) {
    button.addEventListener("click", function () {
      afterPull(function () {
        var now = new Date();
        var date = now.toISOString().slice(0, 10);
        var text = runtime.progress_export(course, now.getTime(), date);
        var link = doc.createElement("a");
        link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
        link.download = "progression-" + course + "-" + date + ".json";
        body.appendChild(link);
        link.click();
        body.removeChild(link);
        say("", "Votre progression a été exportée dans le fichier « " + link.download + " » (dossier des téléchargements).");
      });
    });
  });
  $all("[data-progress-import]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !runtime) return;
      var reader = new FileReader();
      reader.onload = function () {
        var merged;
        try {
          merged = runtime.progress_import(course, String(reader.result), Date.now());
        } catch (error) {
          if (error instanceof WebAssembly.RuntimeError) console.error("didact: the runtime failed while importing", error);
          input.setAttribute("aria-invalid", "true");
          say("Import impossible : " + (error && error.message || error) + " Votre progression actuelle n’a pas changé.", "");
          return;
        }
        input.removeAttribute("aria-invalid");
        runtime.progress_mount();
        exchange(merged).then(function () {
          say("", "La progression du fichier « " + file.name + " » a été importée.");
        }, function () {
          warnStorage();
          say("", "La progression du fichier « " + file.name + " » a été importée dans cette page.");
        });
        input.value = "";
      };
      reader.onerror = function () {
        say("Import impossible : le fichier n’a pas pu être lu. Votre progression actuelle n’a pas changé.", "");
      };
      reader.readAsText(file);
    });
  });
  var resetAsk = $("[data-progress-reset-ask]");
  var resetConfirm = $("[data-progress-reset-confirm]");
  if (resetAsk && resetConfirm) {
    var closeConfirm = function () {
      resetConfirm.hidden = true;
      resetAsk.setAttribute("aria-expanded", "false");
      resetAsk.focus();
    };
    resetAsk.addEventListener("click", function () {
      resetConfirm.hidden = false;
      resetAsk.setAttribute("aria-expanded", "true");
      $("[data-progress-reset]", resetConfirm).focus();
    });
    $("[data-progress-reset-cancel]", resetConfirm).addEventListener("click", closeConfirm);
    $("[data-progress-reset]", resetConfirm).addEventListener("click", function () {
      if (!runtime) return;
      var cleared = runtime.progress_reset(course, Date.now());
      applyPrefs();
      $all(".nav-read").forEach(function (mark) { mark.parentNode.removeChild(mark); });
      runtime.progress_mount();
      closeConfirm();
      exchange(cleared).then(function () {
        say("", "Votre progression a été effacée.");
      }, function () {
        warnStorage();
        say("", "Votre progression a été effacée de cette page.");
      });
    });
  }

  /* Version imprimable: page contents were rendered for their own URL. */
  var idReferences = ["for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "headers"];
  /* Every page's ids get its section's prefix, so the pages' ids stay unique on one page. */
  function prefixIds(section, prefix) {
    $all("[id]", section).forEach(function (element) { element.id = prefix + element.id; });
    idReferences.forEach(function (name) {
      $all("[" + name + "]", section).forEach(function (element) {
        element.setAttribute(name, element.getAttribute(name).split(/\s+/).map(function (id) { return id && prefix + id; }).join(" "));
      });
    });
    $all("a[href^='#']", section).forEach(function (link) {
      link.setAttribute("href", "#" + prefix + link.getAttribute("href").slice(1));
    });
  }
  function rewritePrintLinks() {
    var base = location.href.split("#")[0];
    var siteRoot = new URL(root || "./", base).href;
    $all("[data-print-url]").forEach(function (section) {
      prefixIds(section.querySelector("[data-print-content]") || section, section.id + "--");
    });
    $all("[data-print-url]").forEach(function (section) {
      var pageUrl = new URL(section.getAttribute("data-print-url"), siteRoot).href;
      $all("a[href]", section).forEach(function (link) {
        var href = link.getAttribute("href");
        if (/^[a-z]+:/i.test(href) || href.charAt(0) === "#") return;
        var target = new URL(href, pageUrl);
        var path = target.href.split("#")[0];
        if (path.indexOf(siteRoot) === 0 && /\.html$/.test(path)) {
          var page = "imprimer-" + path.slice(siteRoot.length).replace(/\.html$/, "").split("/").join("--");
          var fragment = target.hash ? page + "--" + target.hash.slice(1) : page;
          var anchor = doc.getElementById(fragment) ? fragment : doc.getElementById(page) ? page : null;
          link.setAttribute("href", anchor ? "#" + anchor : target.href);
        } else {
          link.setAttribute("href", target.href);
        }
      });
      $all("img[src]", section).forEach(function (image) {
        var src = image.getAttribute("src");
        if (!/^[a-z]+:/i.test(src)) image.setAttribute("src", new URL(src, pageUrl).href);
      });
    });
    $all("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }
  var printPage = body.hasAttribute("data-print-page");
  if (printPage) rewritePrintLinks();

  /* Start: runtime and hub, then the widgets, then report ready. */
  if (!localStorageWorks()) warnStorage();
  if (!window.didactRuntime) return;
  openHub();
  window.didactRuntime.then(function (loaded) {
    runtime = loaded;
    return pull().catch(function () { warnStorage(); });
  }).then(function () {
    if (!printPage) {
      try { runtime.mount(); } catch (error) { console.error("didact: widgets failed to start", error); }
    }
    runtime.progress_mount();
    flush();
    applyPrefs();
    doc.addEventListener("click", function () { flush(); setTimeout(flush, 50); });
    doc.addEventListener("change", function () { flush(); setTimeout(flush, 50); });
    doc.addEventListener("keyup", function () { setTimeout(flush, 50); });
    window.addEventListener("pagehide", flush);
    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState === "visible") pull().catch(function () {}); else flush();
    });
    setInterval(flush, 2000);
    html.setAttribute("data-runtime", "ready");
    if (searchInput) (window.requestIdleCallback || function (then) { setTimeout(then, 500); })(loadIndex);
  }).catch(function (error) {
    html.setAttribute("data-runtime", "failed");
    console.error("didact: the interactive runtime failed to start", error);
  });
})();
