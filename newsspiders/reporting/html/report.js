// The HTML report's one script: a story lights up its countries on the map, and a
// country clicked on the map narrows the source table to that country's sources.
(function () {
  "use strict";
  var map = document.getElementById("world");
  var status = document.getElementById("source-filter");
  var chosen = null;

  function marks(code) {
    return map.querySelectorAll('[data-cc="' + code + '"]');
  }

  document.querySelectorAll("#stories li[data-countries]").forEach(function (item) {
    var codes = item.getAttribute("data-countries").split(" ");
    function light(on) {
      codes.forEach(function (code) {
        marks(code).forEach(function (mark) { mark.classList.toggle("lit", on); });
      });
    }
    item.addEventListener("mouseenter", function () { light(true); });
    item.addEventListener("mouseleave", function () { light(false); });
  });

  map.addEventListener("click", function (event) {
    var code = event.target.getAttribute("data-cc");
    if (!code || !event.target.hasAttribute("data-sources")) { return; }
    chosen = chosen === code ? null : code;
    document.querySelectorAll("#sources tbody tr").forEach(function (row) {
      row.classList.toggle("hidden", chosen !== null && row.getAttribute("data-cc") !== chosen);
    });
    status.textContent = chosen === null ? "" :
      "Showing the sources of " + event.target.getAttribute("data-name") +
      " only; click the country again to show all.";
  });

  document.documentElement.setAttribute("data-ready", "yes");
})();
