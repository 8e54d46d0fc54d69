/* Briefings search, 4 of 4: the search page. A search loads the parts of the
 * index its words need (index.js) and the table of every entry, finds every
 * match in the whole archive, applies the filters, and shows the exact count
 * with the first page of results, once that page's entries are loaded (one
 * small script each).
 *
 * Dump text is only ever put into the page as text nodes (textContent,
 * createTextNode), never as HTML.
 */
(function (search) {
  "use strict";

  var PAGE_SIZE = 20;
  var DEBOUNCE_MS = 150;

  /* ---- Page */
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function formatDay(iso) {
    var parts = iso.split("-");
    return Number(parts[2]) + " " + MONTHS[Number(parts[1]) - 1] + " " + parts[0];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function SearchPage(form) {
    this.form = form;
    this.root = form.getAttribute("data-site-root") || "";
    this.input = form.elements.q;
    this.filters = ["period", "blog", "label"].filter(function (name) { return form.elements[name]; });
    this.status = document.getElementById("search-status");
    this.list = document.getElementById("search-results");
    this.more = document.getElementById("search-more");
    this.help = document.getElementById("search-help");
    this.helpDetail = document.getElementById("search-help-detail");
    this.clearFilters = document.getElementById("search-clear-filters");
    this.manifest = window[search.DATA] && window[search.DATA].manifest;
    this.loader = this.manifest ? new search.Loader(this.root, this.manifest) : null;
    this.blogTitles = {};
    this.generation = 0;
    this.hits = [];
    this.answer = null;
    this.words = [];
    this.shown = 0;
    this.timer = null;
    var titles = this.blogTitles;
    ((this.manifest && this.manifest.blogs) || []).forEach(function (blog) { titles[blog.slug] = blog.title; });
  }

  SearchPage.prototype.start = function () {
    var self = this;
    if (!this.manifest || typeof lunr === "undefined") {
      this.say("Search could not start: its files are missing from this copy of the site.");
      return;
    }
    this.readLocation();
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.run();
    });
    this.input.addEventListener("input", function () { self.later(); });
    this.filters.forEach(function (name) {
      self.form.elements[name].addEventListener("change", function () { self.run(); });
    });
    this.more.addEventListener("click", function () { self.showMore(true, self.generation); });
    this.clearFilters.addEventListener("click", function () {
      self.filters.forEach(function (name) { self.form.elements[name].value = ""; });
      self.run();
      self.input.focus();
    });
    this.form.addEventListener("keydown", function (event) { self.keyInForm(event); });
    this.list.addEventListener("keydown", function (event) { self.keyInResults(event); });
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName) || event.target.isContentEditable;
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        self.input.focus();
        self.input.select();
      }
    });
    window.addEventListener("popstate", function () { self.readLocation(); self.run(true); });
    this.run(true);
  };

  SearchPage.prototype.readLocation = function () {
    var params = new URLSearchParams(window.location.search);
    this.input.value = params.get("q") || "";
    var form = this.form;
    this.filters.forEach(function (name) {
      var select = form.elements[name], wanted = params.get(name) || "";
      var known = Array.prototype.some.call(select.options, function (option) { return option.value === wanted; });
      select.value = known ? wanted : "";
    });
  };

  SearchPage.prototype.writeLocation = function () {
    var params = new URLSearchParams(), form = this.form;
    if (this.input.value.trim()) params.set("q", this.input.value.trim());
    this.filters.forEach(function (name) {
      if (form.elements[name].value) params.set(name, form.elements[name].value);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url === window.location.pathname + window.location.search) return;
    try {
      window.history.replaceState(null, "", url);
    } catch (error) {
      // Some browsers refuse history changes on file:// pages; the search still works.
    }
  };

  SearchPage.prototype.later = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.run(); }, DEBOUNCE_MS);
  };

  SearchPage.prototype.choice = function (name) {
    var select = this.form.elements[name];
    return select ? select.value : "";
  };

  SearchPage.prototype.say = function (text) {
    this.status.textContent = text;
  };

  SearchPage.prototype.run = function (fromLocation) {
    var self = this, generation = ++this.generation;
    window.clearTimeout(this.timer);
    if (!fromLocation) this.writeLocation();
    var query = this.input.value.trim();
    var skipped = [];
    var words = search.queryWords(query, this.manifest.fields, skipped);
    var filtered = this.filters.some(function (name) { return self.choice(name); });
    this.help.hidden = true;
    if (!words.length && !filtered) {
      this.clear();
      if (!query) this.say("");
      else this.noResults(words, [], 0, skipped);
      return;
    }
    this.say("Searching\u2026");
    var wanted = words.length ? this.loader.index(words) : Promise.resolve(null);
    Promise.all([this.loader.entries(), wanted]).then(function (loaded) {
      if (generation !== self.generation) return null;
      var task = self.match(words, loaded[0], loaded[1]);
      task.skipped = skipped;
      if (!task.hits.length) {
        self.clear();
        self.noResults(words, task.found, task.before, skipped);
        return null;
      }
      return self.show(task, generation);
    }).catch(function (error) {
      if (generation !== self.generation) return;
      self.clear();
      self.say("The search index could not be loaded (" + error.message + "). Reload the page to try again.");
    });
  };

  /** Every entry of the archive that has all the words (or, without words,
   * every entry) and passes the filters, best first, then newest first:
   * {hits: [ref], found: [word found?], before: the count without the blog
   * and label filters, run: the query's Run, for what each result matched}. */
  SearchPage.prototype.match = function (words, table, index) {
    var period = this.choice("period"), blog = this.choice("blog"), label = this.choice("label");
    var periodNumber = this.manifest.periods.indexOf(period);
    var blogNumber = this.manifest.blogs.findIndex(function (known) { return known.slug === blog; });
    var labelled = label ? table.labels[label] || new Uint8Array(table.count) : null;
    var found = words.map(function () { return false; }), candidates = [], scores = null, firsts = null, run = null;
    var required = words.some(function (word) { return !word.excluded; });
    if (required) {
      run = index.run(search.buildQuery(words));
      // Which documents have each word: those its clauses found (a word's
      // clauses expand to exactly the terms that answer it, in its fields).
      var wordDocs = search.wordDocuments(words, run.clauses);
      scores = new Float64Array(table.count);
      firsts = new Int32Array(table.count);
      for (var at = 0; at < run.refs.length; at++) {
        var hit = run.refs[at], all = true;
        if (period && table.periods[hit] !== periodNumber) continue;
        for (var i = 0; i < words.length; i++) {
          if (words[i].excluded) continue;
          if (wordDocs[i][hit]) found[i] = true;
          else all = false;
        }
        if (!all) continue;
        candidates.push(hit);
        scores[hit] = run.scores[at];
        firsts[hit] = run.firsts[at];
      }
    } else {
      // Filters alone, or only words to leave out: every other entry, newest first.
      var left = new Uint8Array(table.count);
      if (words.length) {
        var wanted = words.map(function (word) { return { text: word.text, stem: word.stem, fields: word.fields }; });
        index.run(search.buildQuery(wanted)).clauses.forEach(function (clause) {
          for (var ref = 0; ref < clause.length; ref++) left[ref] |= clause[ref];
        });
      }
      for (var ref = table.count - 1; ref >= 0; ref--) {
        if (left[ref] || (period && table.periods[ref] !== periodNumber)) continue;
        candidates.push(ref);
      }
    }
    var hits = candidates.filter(function (ref) {
      return (!blog || table.blogs[ref] === blogNumber) && (!labelled || labelled[ref]);
    });
    // Best first, then newest; equal ones as lunr ranks them (the order it met them).
    var days = table.dayOrder;
    hits.sort(scores ? function (a, b) {
      return scores[b] - scores[a] || days[b] - days[a] || firsts[a] - firsts[b];
    } : function (a, b) { return days[b] - days[a]; });
    return { words: words, hits: hits, found: found, before: candidates.length, run: run };
  };

  /** The count and the first page of results, together, once its entries are in. */
  SearchPage.prototype.show = function (task, generation) {
    var self = this;
    this.hits = task.hits;
    this.words = task.words;
    this.answer = task.run;
    this.shown = 0;
    return this.showMore(false, generation, function () {
      var count = task.hits.length === 1 ? "1 entry matches" : task.hits.length + " entries match";
      var what = task.words.length ? " \u201c" + self.input.value.trim() + "\u201d" : " the filters";
      self.say(count + what + self.filterText() + ".");
    });
  };

  SearchPage.prototype.filterText = function () {
    var parts = [], period = this.choice("period"), blog = this.choice("blog"), label = this.choice("label");
    if (period) parts.push("in " + period);
    if (blog) parts.push("in \u201c" + (this.blogTitles[blog] || blog) + "\u201d");
    if (label) parts.push("labelled " + label);
    return parts.length ? " " + parts.join(", ") : "";
  };

  SearchPage.prototype.clear = function () {
    this.list.textContent = "";
    this.more.hidden = true;
    this.hits = [];
    this.answer = null;
    this.shown = 0;
  };

  SearchPage.prototype.noResults = function (words, found, before, skipped) {
    var detail = [], period = this.choice("period");
    var required = words.filter(function (word) { return !word.excluded; });
    var missing = required.filter(function (word) { return !found[words.indexOf(word)]; })
      .map(function (word) { return "\u201c" + word.text + "\u201d"; });
    if (before > 0) {
      detail.push((before === 1 ? "1 entry matches" : before + " entries match") + " without the blog and label filters.");
    } else if (!words.length && skipped.length) {
      detail.push("\u201c" + skipped.join(" ") + "\u201d is too common to search for: add a more specific word.");
    } else if (!words.length) {
      detail.push("Type a word: punctuation on its own finds nothing.");
    } else if (missing.length) {
      detail.push("No entry" + (period ? " in " + period : "") + " contains " + missing.join(" or ") +
        ". Check the spelling, or try a shorter form of the word.");
    } else if (required.length > 1) {
      detail.push("Each word appears somewhere, but no entry" + (period ? " in " + period : "") +
        " contains all of them: try fewer words.");
    }
    if (!before && period) detail.push("Try \u201cAny period\u201d: other periods may have it.");
    this.helpDetail.textContent = detail.join(" ");
    this.clearFilters.hidden = !this.filters.some(function (name) { return this.choice(name); }, this);
    this.help.hidden = false;
    var query = this.input.value.trim();
    this.say("No entries match" + (query ? " \u201c" + query + "\u201d" : "") + this.filterText() + ".");
  };

  /** The next page of results, loaded and then shown; ``before`` runs just
   * before they are (the count, for the first page). */
  SearchPage.prototype.showMore = function (moveFocus, generation, before) {
    var self = this, hits = this.hits, first = this.shown;
    var batch = hits.slice(first, first + PAGE_SIZE);
    return Promise.all(batch.map(function (ref) { return self.loader.entry(ref); })).then(function (docs) {
      if (generation !== self.generation || hits !== self.hits || first !== self.shown) return;
      if (!first) self.list.textContent = "";
      if (before) before();
      docs.forEach(function (doc, i) { self.list.appendChild(self.result(doc, batch[i])); });
      self.shown += batch.length;
      var left = hits.length - self.shown;
      self.more.hidden = left <= 0;
      self.more.textContent = "Show " + Math.min(left, PAGE_SIZE) + " more (" + left + " left)";
      if (moveFocus && batch.length) self.list.children[first].querySelector("a").focus();
    });
  };

  SearchPage.prototype.result = function (doc, ref) {
    var item = element("li", "result");
    var heading = element("h2", "result-title");
    var link = element("a");
    link.href = this.root + doc.url;
    var shown = search.title(link, doc.title, this.words);
    heading.appendChild(link);
    item.appendChild(heading);

    var meta = element("p", "result-meta");
    var time = element("time", null, formatDay(doc.day));
    time.setAttribute("datetime", doc.day);
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" \u00b7 "));
    meta.appendChild(element("span", "result-blog", this.blogTitles[doc.blog] || doc.blog));
    doc.labels.forEach(function (name) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(element("span", "label label-" + name.toLowerCase().replace(/[^a-z0-9]+/g, "-"), name));
    });
    item.appendChild(meta);

    if (doc.text) {
      var snippet = element("p", "result-snippet");
      shown = shown.concat(search.snippet(snippet, doc.text, this.words, this.manifest.snippet));
      item.appendChild(snippet);
    }
    var also = this.words.length && this.answer ? search.elsewhere(this.answer.metadata(ref), this.words, shown) : "";
    if (also) item.appendChild(element("p", "result-elsewhere", also));
    return item;
  };

  /* Keyboard: ↓ from the box to the first result, ↑/↓ between results, ↑ from
   * the first result back to the box; "/" anywhere focuses the box. */
  SearchPage.prototype.links = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll(".result-title a"));
  };

  SearchPage.prototype.keyInForm = function (event) {
    if (event.key === "ArrowDown" && event.target === this.input) {
      var links = this.links();
      if (links.length) {
        event.preventDefault();
        links[0].focus();
      }
    }
  };

  SearchPage.prototype.keyInResults = function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = this.links(), at = links.indexOf(document.activeElement);
    if (at === -1) return;
    event.preventDefault();
    if (event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
    else if (event.key === "ArrowUp") (at > 0 ? links[at - 1] : this.input).focus();
  };

  search.SearchPage = SearchPage;

  var form = document.getElementById("search-form");
  if (form) new SearchPage(form).start();
})(window.BriefingsSearch = window.BriefingsSearch || {});
