// stancemap workbench: keyboard shortcuts. No inline script anywhere (the CSP forbids it).
// A key press clicks the element with data-key="KEY" (a decision button, next/previous link)
// or focuses the field with data-focus-key="KEY"; typing in a field is left alone.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (typing(ev.target)) {
      if (ev.key === "Escape") ev.target.blur();
      return;
    }
    var key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    var field = document.querySelector('[data-focus-key="' + CSS.escape(key) + '"]');
    if (field) { ev.preventDefault(); field.focus(); if (field.select) field.select(); return; }
    var target = document.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (target) { ev.preventDefault(); target.click(); }
  });
})();
