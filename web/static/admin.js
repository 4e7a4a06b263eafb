// zhengce admin page: asks for the admin token (kept in sessionStorage
// only), uploads files one request per file (at most two at once, with
// progress) and removes documents.
(function () {
  "use strict";

  var TOKEN_KEY = "zhengce-admin-token";
  var PARALLEL = 2;

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function getToken() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }
  function setToken(t) {
    try {
      if (t) { sessionStorage.setItem(TOKEN_KEY, t); } else { sessionStorage.removeItem(TOKEN_KEY); }
    } catch (e) { /* storage off: the token lives in memory only */ }
  }

  var token = "";

  // request sends one API request and resolves with {status, data, xhr};
  // onProgress receives upload progress (0..1).
  function request(method, url, body, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      if (token) { xhr.setRequestHeader("Authorization", "Bearer " + token); }
      xhr.setRequestHeader("Accept", "application/json");
      if (onProgress && xhr.upload) {
        xhr.upload.addEventListener("progress", function (ev) {
          if (ev.lengthComputable && ev.total > 0) { onProgress(ev.loaded / ev.total); }
        });
      }
      xhr.addEventListener("load", function () {
        var data = null;
        if (xhr.responseText) {
          try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
        }
        resolve({ status: xhr.status, data: data, xhr: xhr });
      });
      xhr.addEventListener("error", function () { resolve({ status: 0, data: null, xhr: xhr }); });
      xhr.addEventListener("abort", function () { resolve({ status: 0, data: null, xhr: xhr }); });
      xhr.send(body || null);
    });
  }

  // errorText is the Chinese message of a failed answer.
  function errorText(res) {
    if (res.status === 0) { return "无法连接服务器，请检查网络后重试"; }
    if (res.data && res.data.error && res.data.error.message) { return res.data.error.message; }
    return "请求失败（HTTP " + res.status + "）";
  }

  ready(function () {
    var login = $("admin-login");
    var main = $("admin-main");
    if (!login || !main) { return; }
    var form = $("token-form");
    var input = $("admin-token");
    var msg = $("token-msg");

    function showLogin(text) {
      main.hidden = true;
      login.hidden = false;
      msg.textContent = text || "";
      input.value = "";
      input.focus();
    }

    function showMain() {
      login.hidden = true;
      main.hidden = false;
      loadDocs();
    }

    // check validates t against the server: 204 is a valid token.
    function check(t) {
      token = t;
      return request("GET", "/api/documents/check").then(function (res) {
        if (res.status === 204) { return ""; }
        if (res.status === 401 || res.status === 403) { return "管理令牌不正确，请重新输入"; }
        return errorText(res);
      });
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var t = input.value.trim();
      if (!t) { msg.textContent = "请输入管理令牌"; return; }
      msg.textContent = "正在验证…";
      check(t).then(function (problem) {
        if (problem) {
          token = "";
          setToken("");
          msg.textContent = problem;
          input.select();
          return;
        }
        setToken(t);
        msg.textContent = "";
        input.value = "";
        showMain();
        $("pick-files").focus();
      });
    });

    $("logout").addEventListener("click", function () {
      token = "";
      setToken("");
      $("upload-list").textContent = "";
      $("upload-summary").textContent = "";
      showLogin("已退出管理");
    });

    // tokenRejected returns to the token form when the server no longer
    // accepts the token (it was changed on the server).
    function tokenRejected(res) {
      if (res.status === 401 || res.status === 403) {
        token = "";
        setToken("");
        showLogin("管理令牌已失效，请重新输入");
        return true;
      }
      return false;
    }

    // Documents of the collection.
    var rows = $("doc-rows");
    var docsMsg = $("docs-msg");
    var count = $("doc-count");
    var loading = null;
    var reloadAgain = false;

    function setCount() {
      count.textContent = "共 " + rows.children.length + " 份";
    }

    function loadDocs() {
      if (loading) { reloadAgain = true; return loading; }
      loading = request("GET", "/api/docs").then(function (res) {
        if (res.status !== 200 || !res.data) {
          docsMsg.textContent = "无法读取文件列表：" + errorText(res);
          return;
        }
        docsMsg.textContent = "";
        rows.textContent = "";
        (res.data.documents || []).forEach(function (d) { rows.appendChild(docRow(d)); });
        setCount();
      }).then(function () {
        loading = null;
        if (reloadAgain) { reloadAgain = false; loadDocs(); }
      });
      return loading;
    }

    function cell(label, child, cls) {
      var td = el("td", cls);
      if (label) { td.setAttribute("data-label", label); }
      if (typeof child === "string") { td.textContent = child; } else if (child) { td.appendChild(child); }
      return td;
    }

    function docRow(d) {
      var tr = el("tr");
      tr.setAttribute("data-id", d.id);
      var a = el("a", "", d.title || d.id);
      a.href = d.url || "/d/" + encodeURIComponent(d.id);
      tr.appendChild(cell("标题", a));
      tr.appendChild(cell("编号", el("code", "", d.id)));
      tr.appendChild(cell("区县", d.district || "—", "nowrap"));
      tr.appendChild(cell("来源文件", d.source || "—", "source"));
      var del = el("button", "danger-button", "删除");
      del.type = "button";
      del.setAttribute("aria-label", "删除《" + (d.title || d.id) + "》");
      del.addEventListener("click", function () { removeDoc(d, tr, del); });
      tr.appendChild(cell("", del, "actions"));
      return tr;
    }

    function removeDoc(d, tr, button) {
      if (!window.confirm("确定从索引中删除《" + (d.title || d.id) + "》（编号 " + d.id + "）吗？此操作不可撤销。")) { return; }
      button.disabled = true;
      button.textContent = "正在删除…";
      request("DELETE", "/api/documents/" + encodeURIComponent(d.id)).then(function (res) {
        if (tokenRejected(res)) { return; }
        if (res.status === 200 || res.status === 404) {
          // 404: already gone; either way the row goes
          var next = tr.nextElementSibling || tr.previousElementSibling;
          tr.parentNode.removeChild(tr);
          setCount();
          docsMsg.textContent = "";
          $("upload-summary").textContent = "已删除《" + (d.title || d.id) + "》";
          var focusTo = next && next.querySelector("button");
          if (focusTo) { focusTo.focus(); } else { $("pick-files").focus(); }
          return;
        }
        button.disabled = false;
        button.textContent = "删除";
        docsMsg.textContent = "删除失败：" + errorText(res);
      });
    }

    // Uploads: one request per file, at most PARALLEL at once.
    var list = $("upload-list");
    var summary = $("upload-summary");
    var queue = [];
    var running = 0;
    var done = 0;
    var total = 0;

    function addFiles(files) {
      if (!files || !files.length) { return; }
      for (var i = 0; i < files.length; i++) {
        var item = uploadRow(files[i]);
        list.appendChild(item.li);
        queue.push(item);
        total++;
      }
      summary.textContent = "已加入 " + files.length + " 个文件，正在上传…";
      pump();
    }

    function uploadRow(file) {
      var li = el("li", "upload-item");
      var name = el("span", "upload-name", file.name);
      var bar = el("progress", "upload-progress");
      bar.max = 1;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name + " 上传进度");
      var status = el("span", "upload-status", "等待上传");
      li.appendChild(name);
      li.appendChild(bar);
      li.appendChild(status);
      return { file: file, li: li, bar: bar, status: status };
    }

    function pump() {
      while (running < PARALLEL && queue.length > 0) {
        running++;
        upload(queue.shift()).then(function () {
          running--;
          done++;
          if (running === 0 && queue.length === 0) {
            summary.textContent = "上传完成：共 " + done + " 个文件";
            loadDocs();
          }
          pump();
        });
      }
    }

    function finish(item, cls, text) {
      item.li.classList.add(cls);
      item.status.textContent = text;
    }

    function upload(item) {
      item.status.textContent = "正在上传";
      var fd = new FormData();
      fd.append("file", item.file, item.file.name);
      return request("POST", "/api/documents", fd, function (p) {
        item.bar.value = p;
        if (p >= 1) { item.status.textContent = "正在解析与索引…"; }
      }).then(function (res) {
        item.bar.value = 1;
        if (res.status === 429) {
          // rate limited: wait and try again
          var wait = parseInt(res.xhr.getResponseHeader("Retry-After") || "1", 10) || 1;
          item.status.textContent = "请求过于频繁，" + wait + " 秒后重试";
          return new Promise(function (r) { setTimeout(r, wait * 1000); }).then(function () { return upload(item); });
        }
        if (tokenRejected(res)) {
          finish(item, "is-rejected", "未索引：管理令牌已失效");
          return;
        }
        if (res.status !== 200 || !res.data || !res.data.documents || !res.data.documents.length) {
          finish(item, "is-rejected", "未索引：" + errorText(res));
          return;
        }
        var r = res.data.documents[0];
        if (r.status === "indexed") {
          finish(item, "is-indexed", r.replaced ? "已替换" : "已索引");
          if (r.id) {
            var link = el("a", "upload-link", "查看");
            link.href = "/d/" + encodeURIComponent(r.id);
            item.li.appendChild(link);
          }
          loadDocs();
        } else {
          finish(item, "is-rejected", "未索引：" + (r.reason || "无法读取该文件"));
        }
      });
    }

    var picker = $("file-input");
    $("pick-files").addEventListener("click", function () { picker.click(); });
    picker.addEventListener("change", function () {
      addFiles(picker.files);
      picker.value = "";
    });

    var zone = $("drop-zone");
    var depth = 0;
    zone.addEventListener("dragenter", function (ev) {
      ev.preventDefault();
      depth++;
      zone.classList.add("is-over");
    });
    zone.addEventListener("dragover", function (ev) {
      ev.preventDefault();
      if (ev.dataTransfer) { ev.dataTransfer.dropEffect = "copy"; }
    });
    zone.addEventListener("dragleave", function () {
      depth = Math.max(0, depth - 1);
      if (depth === 0) { zone.classList.remove("is-over"); }
    });
    zone.addEventListener("drop", function (ev) {
      ev.preventDefault();
      depth = 0;
      zone.classList.remove("is-over");
      if (ev.dataTransfer) { addFiles(ev.dataTransfer.files); }
    });
    // A file dropped beside the zone must not replace the page.
    window.addEventListener("dragover", function (ev) { ev.preventDefault(); });
    window.addEventListener("drop", function (ev) { ev.preventDefault(); });

    var saved = getToken();
    if (!saved) {
      showLogin("");
      return;
    }
    check(saved).then(function (problem) {
      if (problem) {
        token = "";
        setToken("");
        showLogin(problem);
        return;
      }
      showMain();
    });
  });

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
})();
