// A sign's page: the ← and → keys go to the newer and older sign, and the photo opens
// full size in a lightbox (a native <dialog>) without leaving the page. Without this
// script the keys do nothing special and the photo link opens the image itself.
(function () {
  "use strict";

  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || typing(e)) return;
    if (document.querySelector("dialog.lightbox[open]")) return;
    var rel = e.key === "ArrowLeft" ? "prev" : e.key === "ArrowRight" ? "next" : null;
    var link = rel && document.querySelector('link[rel="' + rel + '"]');
    if (link) {
      e.preventDefault();
      window.location.href = link.href;
    }
  });

  var trigger = document.querySelector("a.photo-link");
  if (!trigger || typeof HTMLDialogElement !== "function") return;
  var dialog, img;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    var photo = trigger.querySelector("img");
    dialog.setAttribute("aria-label", photo && photo.alt ? photo.alt : "Full-size photo");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "lightbox-close";
    close.textContent = "Close";
    close.addEventListener("click", function () { dialog.close(); });
    img = document.createElement("img");
    img.alt = photo ? photo.alt : "";
    img.decoding = "async";
    dialog.appendChild(close);
    dialog.appendChild(img);
    // A click on the backdrop or the photo closes it, as in every lightbox.
    dialog.addEventListener("click", function (e) {
      if (e.target === dialog || e.target === img) dialog.close();
    });
    dialog.addEventListener("close", function () { trigger.focus(); });
    document.body.appendChild(dialog);
  }

  trigger.addEventListener("click", function (e) {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (!dialog) build();
    if (img.getAttribute("src") !== trigger.href) img.src = trigger.href;
    dialog.showModal();
  });
})();
