// "Use in a newsletter": copy the recap as formatted HTML (with a plain-text
// alternative) or as plain text. Reads the panel's text areas; no network.
(function () {
  "use strict";
  var panel = document.querySelector(".newsletter-copy");
  if (!panel) return;
  var status = panel.querySelector(".copy-status");
  var html = document.getElementById("newsletter-html").value;
  var text = document.getElementById("newsletter-text").value;

  function say(message) { status.textContent = message; }

  function copyWithSelection(formatted) {
    // Fallback where the async clipboard is missing: select a rendered copy (for
    // formatted text) or the plain text, and ask the browser to copy it.
    var holder = document.createElement(formatted ? "div" : "textarea");
    holder.setAttribute("aria-hidden", "true");
    holder.style.position = "fixed";
    holder.style.left = "-10000px";
    if (formatted) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      holder.appendChild(document.importNode(doc.body, true));
    } else {
      holder.value = text;
    }
    document.body.appendChild(holder);
    var range = document.createRange();
    range.selectNodeContents(holder);
    var selection = window.getSelection();
    selection.removeAllRanges();
    if (formatted) selection.addRange(range); else holder.select();
    var done = document.execCommand("copy");
    selection.removeAllRanges();
    document.body.removeChild(holder);
    return done;
  }

  function copy(formatted) {
    if (navigator.clipboard && window.ClipboardItem && formatted) {
      var item = new ClipboardItem({
        "text/html": new Blob([html], {type: "text/html"}),
        "text/plain": new Blob([text], {type: "text/plain"})
      });
      return navigator.clipboard.write([item]);
    }
    if (navigator.clipboard && !formatted) return navigator.clipboard.writeText(text);
    return copyWithSelection(formatted) ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  panel.hidden = false;
  panel.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy-button");
    if (!button) return;
    var formatted = button.id === "copy-email-html";
    copy(formatted).then(function () {
      say(formatted ? "Copied: paste into your newsletter editor." : "Copied as plain text.");
    }, function () {
      say("Your browser did not allow copying; open the file above and copy from there.");
    });
  });
})();
