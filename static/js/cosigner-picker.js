// The co-signer picker (templates/petitions/work/partials/cosigner_picker.html): filters the deputies as one
// types, by name, village or pinyin (each row's data-search), keeping ticked ones in view. Without
// JavaScript the "Find" button posts the form back and the server filters the same way.
(function () {
  var input = document.querySelector("[data-cosigner-filter]");
  var list = document.getElementById("cosigner-options");
  var status = document.getElementById("cosigner-status");
  if (!input || !list || !status) return;
  var rows = Array.prototype.slice.call(list.querySelectorAll("li[data-search]"));
  var template = status.getAttribute("data-shown-template");
  var total = status.getAttribute("data-total");
  var initial = status.textContent;

  function filter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var ticked = row.querySelector("input[type=checkbox]").checked;
      var search = row.getAttribute("data-search");
      var match = ticked || words.every(function (word) { return search.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    if (words.length) {
      status.textContent = template.replace("{n}", shown).replace("{total}", total);
    } else {
      status.textContent = initial;
    }
  }

  input.addEventListener("input", filter);
  // Enter in the search box filters here; it must not post the form (the browser's first submit button).
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      filter();
    }
  });
  // A list the server already filtered ("Find" without JavaScript, or a page sent back) is shown as sent.
})();
