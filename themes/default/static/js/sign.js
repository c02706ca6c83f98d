// A sign's page: the ← and → keys go to the newer and older sign, and a photo opens
// full size in the viewer (PhotoSwipe) without leaving the page; there ← and → move
// between its photos and on to the neighbouring signs. Without this script the keys do nothing
// special and each photo link opens the image itself.
(function () {
  "use strict";
  // The page's words in its language, from <body data-words> (multilingual sites);
  // the English below stands when there is none.
  var words = {};
  try { words = JSON.parse(document.body.getAttribute("data-words") || "{}"); } catch (e) { /* keep English */ }
  function say(key, english) { return typeof words[key] === "string" ? words[key] : english; }

  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || typing(e)) return;
    if (document.querySelector(".pswp")) return;
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
    if (!navigator.share) shareButton.textContent = say("copy_link", "Copy link");
    shareButton.addEventListener("click", function () {
      var url = shareButton.getAttribute("data-url") || window.location.href;
      if (navigator.share) {
        navigator.share({ title: shareButton.getAttribute("data-title") || document.title, url: url })
          .catch(function () { /* the reader closed the share sheet */ });
        return;
      }
      navigator.clipboard.writeText(url).then(
        function () { status.textContent = say("copied", "Link copied."); },
        function () { status.textContent = say("copy_failed", "Could not copy: ") + url; }
      );
    });
    share.hidden = false;
  }

  // The viewer: PhotoSwipe 5 (vendored, MIT), loaded only when a photo is opened. It
  // gives swipe, pinch and double-tap zoom, Esc, focus trapping and return for free.
  // Its slides are this sign's photos plus, at either end, the newer sign's last photo
  // and the older sign's first: reaching one of those opens that sign's page with the
  // viewer on the same photo (#photo-N), so prev/next run on across the archive.
  var links = Array.prototype.slice.call(document.querySelectorAll("a.photo-link"));
  var script = document.currentScript;
  if (!links.length || !script || !window.Promise) return;
  var vendor = new URL("../vendor/photoswipe/", script.src).href;
  var caption = document.querySelector("figure.photo figcaption");
  var title = document.querySelector("h1.sign-title");

  function neighbour(rel) {
    var a = document.querySelector('nav.prev-next a[rel="' + rel + '"][data-photo]');
    if (!a) return null;
    return {
      src: a.getAttribute("data-photo"),
      width: +a.getAttribute("data-width"),
      height: +a.getAttribute("data-height"),
      alt: a.querySelector(".prev-next-title").textContent,
      away: a.href.split("#")[0] + "#photo-" + a.getAttribute("data-index"),
      text: (rel === "prev" ? say("newer_sign", "Newer sign: ") : say("older_sign", "Older sign: ")) + a.querySelector(".prev-next-title").textContent
    };
  }

  function slides() {
    var list = links.map(function (a) {
      var img = a.querySelector("img");
      return {
        src: a.href,
        msrc: img ? img.currentSrc || img.src : undefined,
        width: +a.getAttribute("data-width"),
        height: +a.getAttribute("data-height"),
        alt: img ? img.alt : "",
        element: a
      };
    });
    var newer = neighbour("prev"), older = neighbour("next");
    if (newer) list.unshift(newer);
    if (older) list.push(older);
    return { list: list, offset: newer ? 1 : 0 };
  }

  function captionHtml(slide) {
    if (slide.away) return "<p>" + escapeHtml(slide.text) + "</p>";
    var head = title ? "<p class=\"pswp-title\">" + escapeHtml(title.textContent) + "</p>" : "";
    return head + (caption ? caption.innerHTML : "");
  }

  function escapeHtml(t) {
    var d = document.createElement("div");
    d.textContent = t;
    return d.innerHTML;
  }

  function loadCss() {
    if (document.querySelector("link[data-pswp]")) return;
    var l = document.createElement("link");
    l.rel = "stylesheet";
    l.href = vendor + "photoswipe.css";
    l.setAttribute("data-pswp", "");
    document.head.appendChild(l);
  }

  function open(k) {
    loadCss();
    import(vendor + "photoswipe.esm.min.js").then(function (mod) {
      var s = slides();
      var pswp = new mod.default({
        dataSource: s.list,
        index: k + s.offset,
        loop: false,
        bgOpacity: 1,
        // Its count would include the neighbouring signs' photos: leave it out.
        counter: false,
        showHideAnimationType: "fade",
        closeTitle: say("close", "Close (Esc)"),
        zoomTitle: say("zoom", "Zoom"),
        arrowPrevTitle: say("prev_photo", "Previous photo"),
        arrowNextTitle: say("next_photo", "Next photo")
      });
      pswp.on("uiRegister", function () {
        pswp.ui.registerElement({
          name: "caption",
          order: 9,
          isButton: false,
          appendTo: "root",
          onInit: function (el) {
            el.setAttribute("aria-live", "polite");
            pswp.on("change", function () { el.innerHTML = captionHtml(pswp.currSlide.data); });
          }
        });
      });
      pswp.on("change", function () {
        var d = pswp.currSlide && pswp.currSlide.data;
        if (d && d.away) window.location.href = d.away;
      });
      pswp.on("destroy", function () {
        if (/^#photo-\d+$/.test(window.location.hash)) {
          history.replaceState(null, "", window.location.pathname + window.location.search);
        }
      });
      pswp.init();
    });
  }

  links.forEach(function (link, k) {
    link.addEventListener("click", function (e) {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      open(k);
    });
  });

  // Arriving from a neighbour sign's viewer: open this sign's viewer on that photo.
  var m = /^#photo-(\d+)$/.exec(window.location.hash);
  if (m && +m[1] >= 1 && +m[1] <= links.length) open(+m[1] - 1);
})();
