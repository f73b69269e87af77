/* The plan page's tables on a phone: below 768 px each row is a block of labelled
   lines (plan.css), each line's label the heading of its column. The headings are
   copied onto the cells here rather than written into each cell of the templates, so
   that a column added to a table is labelled without more. Without script the rows
   are still blocks, without their labels. */
(function () {
  "use strict";
  function label() {
    var tables = document.querySelectorAll(".vndata-plan-part table");
    Array.prototype.forEach.call(tables, function (table) {
      var headings = Array.prototype.map.call(
        table.querySelectorAll("thead th"),
        function (th) { return th.textContent.trim(); }
      );
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (headings[index] && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
            cell.setAttribute("data-label", headings[index]);
          }
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", label);
  } else {
    label();
  }
})();
