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
  // Suggestions as one types: titles and short names of documents under
  // the search box (the ARIA 1.2 combobox pattern). Arrow keys move
  // through the list, Enter opens the chosen document, Escape closes it.
  ready(function () {
    var input = document.querySelector(".searchbox input[name=q]");
    if (!input || !window.fetch) { return; }
    var form = input.form;
    var list = document.createElement("ul");
    list.id = "q-suggest";
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "文件名称建议");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.classList.add("has-suggest");
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var items = [], active = -1, timer = 0, seq = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function select(i) {
      var opts = list.children;
      for (var k = 0; k < opts.length; k++) { opts[k].setAttribute("aria-selected", k === i ? "true" : "false"); }
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", opts[i].id);
        opts[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function render(q, sugs) {
      items = sugs;
      list.textContent = "";
      sugs.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "q-suggest-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.url = s.url;
        var t = document.createElement("span");
        t.className = "suggest-title";
        t.textContent = s.title;
        li.appendChild(t);
        if (s.short || s.versions) {
          var m = document.createElement("span");
          m.className = "suggest-meta";
          m.textContent = (s.short ? "简称 " + s.short : "") + (s.versions ? (s.short ? " · " : "") + s.versions + " 个版本" : "");
          li.appendChild(m);
        }
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        li.addEventListener("click", function () { window.location.href = s.url; });
        list.appendChild(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (sugs.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = sugs.length + " 个文件名称建议，用上下方向键选择";
      } else {
        close();
        status.textContent = "";
      }
    }
    function lookup() {
      var q = input.value.trim();
      var mine = ++seq;
      if (!q || q.length > 100) { render(q, []); return; }
      fetch("/api/suggest?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (body) { if (mine === seq) { render(q, body.suggestions || []); } })
        .catch(function () { if (mine === seq) { render(q, []); } });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 80);
    });
    input.addEventListener("keydown", function (ev) {
      var open = !list.hidden && items.length > 0;
      switch (ev.key) {
      case "ArrowDown":
        if (!open) { lookup(); return; }
        ev.preventDefault();
        select(active + 1 >= items.length ? 0 : active + 1);
        break;
      case "ArrowUp":
        if (!open) { return; }
        ev.preventDefault();
        select(active <= 0 ? items.length - 1 : active - 1);
        break;
      case "Enter":
        if (open && active >= 0) {
          ev.preventDefault();
          window.location.href = items[active].url;
        }
        break;
      case "Escape":
        if (open) {
          ev.preventDefault();
          close();
        }
        break;
      }
    });
    // Enter on a chosen suggestion opens it rather than submitting the
    // query (also when the browser submits the form on its own).
    form.addEventListener("submit", function (ev) {
      if (!list.hidden && active >= 0 && items[active]) {
        ev.preventDefault();
        window.location.href = items[active].url;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();
