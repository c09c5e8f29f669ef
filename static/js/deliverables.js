// Deliverable submit forms: while the influencer types the caption, warn when it carries no
// disclosure label. The same rule as collaborations.deliverables.caption_has_disclosure: any of
// the labels, in any case, as a whole tag or phrase ("#ad" is not in "#adventure"). Without
// JavaScript the warning shows as the page rendered it, and again after submitting.
(function () {
  "use strict";
  var WORD = "\\p{L}\\p{N}_";

  function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function pattern(label) {
    var words = label.trim().split(/\s+/).map(escape);
    var before = label.trim().charAt(0) === "#" ? "(?<![" + WORD + "#])" : "(?<![" + WORD + "])";
    return new RegExp(before + words.join("\\s+") + "(?![" + WORD + "])", "iu");
  }

  document.querySelectorAll("textarea[data-disclosure-labels]").forEach(function (caption) {
    var warning = document.getElementById(caption.dataset.warning);
    if (!warning) return;
    var labels = JSON.parse(caption.dataset.disclosureLabels).map(pattern);
    function check() {
      warning.hidden = labels.some(function (label) {
        return label.test(caption.value);
      });
    }
    caption.addEventListener("input", check);
    check();
  });
})();
