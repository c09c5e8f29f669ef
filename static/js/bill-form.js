// New-bill page: add and remove lines, and show a running total. Without JavaScript the
// form still works with its blank lines; the server computes the real totals.
(function () {
  "use strict";
  var form = document.getElementById("bill-form");
  if (!form) return;
  var prices = JSON.parse(document.getElementById("product-prices").textContent);
  var body = document.getElementById("lines");
  var template = document.getElementById("line-template");
  var totalForms = form.querySelector("input[name='lines-TOTAL_FORMS']");
  var totalOut = document.getElementById("running-total");
  var addButton = document.getElementById("add-line");

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function recalc() {
    var total = 0;
    body.querySelectorAll("tr.line").forEach(function (row) {
      if (row.hidden) return;
      var product = field(row, "product").value;
      var typedQuantity = field(row, "quantity").value;
      var quantity = typedQuantity === "" ? 1 : parseInt(typedQuantity, 10) || 0;
      var typed = field(row, "unit_price").value;
      var price = typed !== "" ? parseFloat(typed) : parseFloat(prices[product] || "0");
      if (product && quantity > 0 && !isNaN(price)) total += Math.round(price * 100) * quantity;
    });
    totalOut.textContent = (total / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function wire(row) {
    var remove = row.querySelector(".remove-line");
    remove.hidden = false;
    remove.addEventListener("click", function () {
      // A cleared line is an empty extra form, which the server ignores.
      field(row, "product").value = "";
      field(row, "quantity").value = "";
      field(row, "unit_price").value = "";
      row.hidden = true;
      recalc();
    });
  }

  addButton.hidden = false;
  addButton.addEventListener("click", function () {
    var index = parseInt(totalForms.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    totalForms.value = String(index + 1);
    var row = body.lastElementChild;
    wire(row);
    field(row, "product").focus();
  });
  body.querySelectorAll("tr.line").forEach(wire);
  form.addEventListener("input", recalc);
  form.addEventListener("change", recalc);
  recalc();
})();
