// Workbench niceties; every page works without them.
(function () {
  "use strict";

  function insertAtCursor(field, text) {
    var start = field.selectionStart, end = field.selectionEnd, value = field.value;
    if (typeof start !== "number") { start = end = value.length; }
    var before = value.slice(0, start), after = value.slice(end);
    var joinBefore = before && !/\n$/.test(before) ? "\n\n" : "";
    var joinAfter = after && !/^\n/.test(after) ? "\n\n" : "";
    field.value = before + joinBefore + text + joinAfter + after;
    var caret = (before + joinBefore + text).length;
    field.focus();
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-insert-template], [data-print]").forEach(function (button) {
      button.hidden = false;
    });
  });

  document.addEventListener("click", function (event) {
    var insert = event.target.closest("[data-insert-template]");
    if (insert) {
      var source = document.getElementById(insert.dataset.insertTemplate);
      var target = document.getElementById(insert.dataset.target);
      if (source && target) { insertAtCursor(target, source.value); }
      return;
    }
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
