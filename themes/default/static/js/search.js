// The search page: filters search.json (written by `glyph build`) in the browser as
// the visitor types. Words must all appear in a sign's title, place, city, country,
// styles, caption or alt text (where the words on the sign are; case and accents
// ignored); the style and country menus narrow
// further. The query is kept in the address, so a search can be shared.
(function () {
  "use strict";
  // The page's words in its language, from <body data-words> (multilingual sites);
  // the English below stands when there is none.
  var words = {};
  try { words = JSON.parse(document.body.getAttribute("data-words") || "{}"); } catch (e) { /* keep English */ }
  function say(key, english) { return typeof words[key] === "string" ? words[key] : english; }
  // A plural phrase: its forms by CLDR category, chosen for n in the page's language.
  function sayCount(key, n, english) {
    var forms = words[key];
    if (!forms || typeof forms !== "object") return english;
    var cat = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang).select(n) : (n === 1 ? "one" : "other");
    return (forms[cat] || forms.other || english).replace("{count}", n);
  }
  var form = document.querySelector("form.search-form");
  if (!form || !window.fetch) return;
  var q = form.elements.q;
  var tag = form.elements.tag;
  var country = form.elements.country;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var LIMIT = 60;
  var index = null;
  var loading = null;
  var timer = null;

  function fold(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"))
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .then(function (data) {
          data.signs.forEach(function (s) {
            var names = s[5].map(function (i) { return data.tags[i]; }).join(" ");
            var land = s[4] >= 0 ? data.countries[s[4]][1] : "";
            s.hay = fold([s[1], s[2], s[3], land, names, s[6], s[11]].join(" "));
          });
          index = data;
          return data;
        });
    }
    return loading;
  }

  function card(s, data) {
    var li = document.createElement("li");
    li.className = "card";
    // The photo's shape sets the card's share of its row (see .grid in glyph.css).
    if (s[8] && s[9]) li.style.setProperty("--ar", (s[8] / s[9]).toFixed(3));
    var h = document.createElement("h2");
    h.className = "card-title";
    var a = document.createElement("a");
    a.href = s[0];
    a.textContent = s[1];
    h.appendChild(a);
    li.appendChild(h);
    var img = document.createElement("img");
    img.src = s[7];
    img.width = s[8];
    img.height = s[9];
    img.alt = "";
    img.loading = "lazy";
    img.decoding = "async";
    if (s[10]) img.style.backgroundColor = s[10];
    li.appendChild(img);
    var where = [s[2] !== s[1] ? s[2] : "", s[3], s[4] >= 0 ? data.countries[s[4]][1] : ""]
      .filter(Boolean).join(", ");
    if (where) {
      var p = document.createElement("p");
      p.className = "card-place";
      p.textContent = where;
      li.appendChild(p);
    }
    return li;
  }

  function run() {
    var words = fold(q.value).split(/\s+/).filter(Boolean);
    var wantTag = tag ? tag.value : "";
    var wantCountry = country ? country.value : "";
    var params = new URLSearchParams();
    if (q.value.trim()) params.set("q", q.value.trim());
    if (wantTag) params.set("tag", wantTag);
    if (wantCountry) params.set("country", wantCountry);
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
    if (!words.length && !wantTag && !wantCountry) {
      list.textContent = "";
      status.textContent = say("search_hint", "Type a word, or choose a style or a country.");
      return;
    }
    if (!index) {
      status.textContent = say("search_loading", "Loading the index…");
      load().then(run, function (e) {
        status.textContent = words.search_failed ? words.search_failed.replace("{error}", e.message) : "The search index could not be loaded (" + e.message + ").";
      });
      return;
    }
    var data = index;
    var t = wantTag ? data.tags.indexOf(wantTag) : -1;
    var found = data.signs.filter(function (s) {
      if (wantTag && s[5].indexOf(t) < 0) return false;
      if (wantCountry && (s[4] < 0 || data.countries[s[4]][0] !== wantCountry)) return false;
      for (var i = 0; i < words.length; i++) {
        if (s.hay.indexOf(words[i]) < 0) return false;
      }
      return true;
    });
    var frag = document.createDocumentFragment();
    found.slice(0, LIMIT).forEach(function (s) { frag.appendChild(card(s, data)); });
    list.textContent = "";
    list.appendChild(frag);
    // Milliseconds from navigation to these results, for bench/search.py.
    list.setAttribute("data-ms", String(Math.round(performance.now())));
    status.textContent = found.length === 0
      ? say("search_none", "No sign matches.")
      : found.length > LIMIT ? (words.search_limited ? words.search_limited.replace("{count}", found.length).replace("{limit}", LIMIT) : found.length + " signs found; showing the newest " + LIMIT + ".")
      : sayCount("search_found", found.length, found.length === 1 ? "1 sign found." : found.length + " signs found.");
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    run();
  });
  q.addEventListener("input", soon);
  q.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
  if (tag) tag.addEventListener("change", run);
  if (country) country.addEventListener("change", run);

  var given = new URLSearchParams(location.search);
  q.value = given.get("q") || "";
  if (tag) tag.value = given.get("tag") || "";
  if (country) country.value = given.get("country") || "";
  run();
})();
