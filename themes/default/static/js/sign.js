// A sign's page: the ← and → keys go to the newer and older sign, and a photo opens
// full size in a lightbox (a native <dialog>) without leaving the page; with several
// photos, ← and → move between them there. Without this script the keys do nothing
// special and each photo link opens the image itself.
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

  // Sharing: the system share sheet where the browser has one, else the link copied to
  // the clipboard. The button stays hidden without this script or either API, so
  // nothing broken shows; no third-party script is involved.
  var share = document.querySelector("p.share");
  var shareButton = share && share.querySelector("button.share-button");
  if (shareButton && (navigator.share || (navigator.clipboard && window.isSecureContext))) {
    var status = share.querySelector(".share-status");
    if (!navigator.share) shareButton.textContent = "Copy link";
    shareButton.addEventListener("click", function () {
      var url = shareButton.getAttribute("data-url") || window.location.href;
      if (navigator.share) {
        navigator.share({ title: shareButton.getAttribute("data-title") || document.title, url: url })
          .catch(function () { /* the reader closed the share sheet */ });
        return;
      }
      navigator.clipboard.writeText(url).then(
        function () { status.textContent = "Link copied."; },
        function () { status.textContent = "Could not copy: " + url; }
      );
    });
    share.hidden = false;
  }

  // Every photo of the sign opens in the one lightbox, which moves between them (the
  // ← and → keys and its buttons) when the sign has several.
  var links = Array.prototype.slice.call(document.querySelectorAll("a.photo-link"));
  if (!links.length || typeof HTMLDialogElement !== "function") return;
  var dialog, img, counter, current = 0;

  function button(className, text, label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    if (label) b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  }

  function show(k) {
    current = (k + links.length) % links.length;
    var link = links[current];
    var photo = link.querySelector("img");
    if (img.getAttribute("src") !== link.href) img.src = link.href;
    img.alt = photo ? photo.alt : "";
    dialog.setAttribute("aria-label", photo && photo.alt ? photo.alt : "Full-size photo");
    if (counter) counter.textContent = (current + 1) + " / " + links.length;
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    img = document.createElement("img");
    img.decoding = "async";
    dialog.appendChild(button("lightbox-close", "Close", null, function () { dialog.close(); }));
    dialog.appendChild(img);
    if (links.length > 1) {
      dialog.appendChild(button("lightbox-prev", "\u2190", "Previous photo", function () { show(current - 1); }));
      dialog.appendChild(button("lightbox-next", "\u2192", "Next photo", function () { show(current + 1); }));
      counter = document.createElement("p");
      counter.className = "lightbox-counter";
      counter.setAttribute("aria-live", "polite");
      dialog.appendChild(counter);
      dialog.addEventListener("keydown", function (e) {
        if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
        var step = e.key === "ArrowLeft" ? -1 : e.key === "ArrowRight" ? 1 : 0;
        if (step) {
          e.preventDefault();
          show(current + step);
        }
      });
    }
    // A click on the backdrop or the photo closes it, as in every lightbox.
    dialog.addEventListener("click", function (e) {
      if (e.target === dialog || e.target === img) dialog.close();
    });
    dialog.addEventListener("close", function () { links[current].focus(); });
    document.body.appendChild(dialog);
  }

  links.forEach(function (link, k) {
    link.addEventListener("click", function (e) {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      if (!dialog) build();
      show(k);
      dialog.showModal();
    });
  });
})();
