/* Page behaviours, bound by data attributes (the Content-Security-Policy forbids inline scripts and
   event-handler attributes, so every template's script lives here). */
(function () {
  "use strict";

  // <form data-confirm="…"> or <button data-confirm="…">: ask before submitting.
  // Upload forms (multipart) then show that they are working: the submit button is disabled,
  // its spinner shown, an <input type=submit> reads "正在读取…".
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.enctype === "multipart/form-data") {
      window.setTimeout(function () {
        form.querySelectorAll("[type=submit]").forEach(function (button) {
          button.disabled = true;
          var spinner = button.querySelector(".spinner-border");
          if (spinner) spinner.classList.remove("d-none");
          if (button.tagName === "INPUT") button.value = "正在读取…";
        });
      }, 0);
    }
  });

  // <button data-fill="selector" data-draft="text">: put the drafted text into the field and let htmx know.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill]");
    if (!button) return;
    var field = document.querySelector(button.dataset.fill);
    if (!field) return;
    field.value = button.dataset.draft;
    field.dispatchEvent(new Event("change", {bubbles: true}));
    var banner = button.closest("[data-draft-banner]");  // a restored draft: its offer is answered
    if (banner) banner.remove();
  });

  // <textarea data-autosave-url="…">: what is typed is kept as this user's draft on the server when typing
  // pauses for two seconds (at the latest every ten while it goes on), and once more when the page is hidden
  // or closed, so a closed tab or an expired session loses nothing; [data-autosave-status] says how it went.
  // A failed save (logged out, offline) is retried; the text stays in the page meanwhile.
  function autosave(field) {
    var url = field.dataset.autosaveUrl;
    var form = field.form;
    var status = document.querySelector("[data-autosave-status]");
    var kept = field.value, timer = null, waitingSince = 0, busy = false;
    function show(text) { if (status) status.textContent = text; }
    function payload() {
      var data = new FormData();
      var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
      if (token) data.append("csrfmiddlewaretoken", token.value);
      data.append("process", field.value);
      return data;
    }
    function schedule(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, delay);
    }
    function save() {
      window.clearTimeout(timer);
      waitingSince = 0;
      if (busy || field.value === kept) return;
      var text = field.value;
      busy = true;
      fetch(url, {method: "POST", body: payload(), credentials: "same-origin", redirect: "manual"})
        .then(function (response) {
          if (response.type === "opaqueredirect" || response.status === 403) {
            show("登录已过期，草稿暂未保存：请在新标签页重新登录，本页内容仍在，稍后会自动重试。");
          } else if (!response.ok) {
            show("草稿暂未保存（服务器错误），稍后会自动重试。");
          } else {
            return response.text().then(function (message) { kept = text; show(message); });
          }
        })
        .catch(function () { show("网络中断，草稿暂未保存，稍后会自动重试。"); })
        .then(function () {
          busy = false;
          if (field.value !== kept) schedule(10000);
        });
    }
    function typed() {
      if (!waitingSince) waitingSince = Date.now();
      schedule(Date.now() - waitingSince > 10000 ? 0 : 2000);
    }
    function flush() {
      if (field.value !== kept && navigator.sendBeacon && navigator.sendBeacon(url, payload())) kept = field.value;
    }
    field.addEventListener("input", typed);
    field.addEventListener("change", typed);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") flush(); });
    window.addEventListener("pagehide", flush);
    if (form) form.addEventListener("submit", function () {  // kept first, in case the save is refused (logged out)
      window.clearTimeout(timer);
      flush();
    });
  }
  document.querySelectorAll("textarea[data-autosave-url]").forEach(autosave);

  // The template editor's rule fields: only the blocks of the chosen rule kind are shown
  // (<div data-rule-kind="…"> under select[name=rule_kind]; inside <div data-part-box="partN">,
  // <div data-part-kind="…"> under select[name=partN_kind]).
  function showChosenRuleFields() {
    var kind = document.querySelector("select[name=rule_kind]");
    if (!kind) return;
    document.querySelectorAll("[data-rule-kind]").forEach(function (block) {
      block.hidden = block.dataset.ruleKind !== kind.value;
    });
    document.querySelectorAll("[data-part-box]").forEach(function (box) {
      var select = box.querySelector("select[name=" + box.dataset.partBox + "_kind]");
      box.querySelectorAll("[data-part-kind]").forEach(function (block) {
        block.hidden = !select || block.dataset.partKind !== select.value;
      });
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name=rule_kind], select[name$=_kind]")) showChosenRuleFields();
  });
  showChosenRuleFields();

  // <table data-count-totals>: each row's total of the whole-number counts typed into it ("—" while one is not).
  function refreshTotal(row) {
    var total = 0, ok = true;
    row.querySelectorAll("input[name$='-count']").forEach(function (input) {
      var text = input.value.trim();
      if (text === "") return;
      if (!/^\d+$/.test(text)) { ok = false; return; }
      total += parseInt(text, 10);
    });
    row.querySelector("[data-total]").textContent = ok ? total : "—";
  }
  document.querySelectorAll("table[data-count-totals] tr[data-question]").forEach(function (row) {
    refreshTotal(row);
    row.addEventListener("input", function () { refreshTotal(row); });
  });
})();
