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
  });

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
