// zhengce: small progressive enhancements. Everything works without this
// file except copying to the clipboard.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  // Copy text to the clipboard, with a fallback for insecure contexts.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }
  function fallbackCopy(text) {
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.className = "visually-hidden";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function absolute(path) {
    return new URL(path, window.location.origin).href;
  }

  ready(function () {
    // Facet checkboxes submit their form at once.
    document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      var form = el.tagName === "FORM" ? el : el.closest("form");
      if (!form) { return; }
      el.addEventListener("change", function (ev) {
        if (ev.target && ev.target.type === "checkbox") {
          // Keyboard users keep their place across the reload.
          try { sessionStorage.setItem("zhengce-focus", ev.target.id); } catch (e) { /* storage off */ }
          if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        }
      });
    });
    try {
      var focusID = sessionStorage.getItem("zhengce-focus");
      sessionStorage.removeItem("zhengce-focus");
      var focusEl = focusID && document.getElementById(focusID);
      if (focusEl) { focusEl.focus({ preventScroll: true }); }
    } catch (e) { /* storage off */ }

    // Collapse the filter sidebar and the table of contents on phones.
    if (window.matchMedia("(max-width: 820px)").matches) {
      document.querySelectorAll("details[data-collapse-narrow]").forEach(function (d) { d.open = false; });
    }

    // Copy link / copy citation buttons.
    document.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button[data-copy]");
      if (!btn) { return; }
      var url = absolute(btn.getAttribute("data-url"));
      var text = btn.getAttribute("data-copy") === "cite" ? btn.getAttribute("data-citation") + " " + url : url;
      var label = btn.textContent;
      copyText(text).then(function () {
        btn.textContent = "已复制";
        btn.classList.add("copied");
        setTimeout(function () { btn.textContent = label; btn.classList.remove("copied"); }, 1800);
      }, function () {
        // No clipboard access: show the text selected for a manual copy.
        var box = btn.parentNode.querySelector("input.copy-box");
        if (!box) {
          box = document.createElement("input");
          box.className = "copy-box";
          box.readOnly = true;
          btn.parentNode.appendChild(box);
        }
        box.value = text;
        box.select();
      });
    });

    // Reader: jump from one highlighted match to the next.
    var next = document.querySelector("button[data-next-mark]");
    if (next) {
      var marks = document.querySelectorAll(".doc-body mark");
      var at = -1;
      next.hidden = marks.length === 0;
      next.addEventListener("click", function () {
        if (at >= 0) { marks[at].classList.remove("current"); }
        at = (at + 1) % marks.length;
        marks[at].classList.add("current");
        marks[at].scrollIntoView({ block: "center" });
        next.textContent = "下一处 ↓（" + (at + 1) + "/" + marks.length + "）";
      });
    }

    // Permalinks: bring the target unit into view and make it :target.
    var reader = document.querySelector("[data-target]");
    if (reader) {
      var id = reader.getAttribute("data-target");
      var el = document.getElementById(id);
      if (el) {
        if (window.location.hash !== "#" + id) {
          window.location.replace(window.location.href.split("#")[0] + "#" + encodeURIComponent(id));
        }
        el.scrollIntoView({ block: "center" });
      }
    }
  });
})();
