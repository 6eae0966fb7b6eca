// The desk list: "tick all on this page" and the count of ticked rows. Without JavaScript
// each row is ticked on its own and both stay hidden.
(function () {
  var form = document.getElementById("bulk-forward");
  if (!form) return;
  var all = form.querySelector("[data-select-all]");
  var counter = form.querySelector("[data-bulk-count]");
  var count = document.getElementById("bulk-count");
  var rows = form.querySelectorAll("input[name=concerns]");
  function update() {
    var ticked = form.querySelectorAll("input[name=concerns]:checked").length;
    count.textContent = ticked;
    all.checked = ticked > 0 && ticked === rows.length;
    all.indeterminate = ticked > 0 && ticked < rows.length;
  }
  all.hidden = false;
  counter.hidden = false;
  all.addEventListener("change", function () {
    rows.forEach(function (row) { row.checked = all.checked; });
    update();
  });
  rows.forEach(function (row) { row.addEventListener("change", update); });
  update();
})();
