// Booking calendars. Without this file they work the same, showing UTC until a zone is picked.
(function () {
  "use strict";

  function browserTimeZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  function submit(form) {
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A new zone applies as soon as it is chosen.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { submit(select.form); });
    });

    // The first visit shows times in the visitor's own zone, once the browser has told us it.
    document.querySelectorAll("form[data-detect-time-zone]").forEach(function (form) {
      var select = form.querySelector("select[name=tz]");
      var zone = browserTimeZone();
      if (!select || !zone || select.value === zone) return;
      if (!select.querySelector('option[value="' + CSS.escape(zone) + '"]')) return;
      select.value = zone;
      // The day shown was the first free one in UTC; in the visitor's zone it may be another.
      var day = form.querySelector("input[name=day]");
      if (day && !new URLSearchParams(window.location.search).has("day")) day.remove();
      form.submit();
    });
  });
})();
