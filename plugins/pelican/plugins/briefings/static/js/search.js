/* Briefings search page: lunr.js 2.3.9 over the index built by
 * plugins/briefings/search.py, loaded shard by shard with classic <script src>
 * (which, unlike fetch(), also works from file://). A search loads the shards it
 * needs one at a time, newest first, and shows what it has found after each.
 *
 * Dump text is only ever put into the page as text nodes (textContent,
 * createTextNode), never as HTML.
 */
(function () {
  "use strict";

  var DATA_GLOBAL = "BriefingsSearchData";
  var PAGE_SIZE = 50;
  var DEBOUNCE_MS = 150;
  var EXACT_BOOST = 10;
  var SNIPPET_LEAD = 80; // characters shown before the first match in a long snippet

  /* ---- Analysis: must match search.py (prepare) and lunr.py's tokenizer and
   * trimmer; the browser tests compare the two on every word of the seeds. */
  var WORD = "\\p{L}\\p{N}_"; // Python's \w
  var EXTRA_SEPARATORS = /[\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u2010-\u2015\/]/g;
  var APOSTROPHES = /[\u2018\u2019\u02bc\u2032]/g;
  var POSSESSIVE = new RegExp("(?<=[" + WORD + "])'s(?![" + WORD + "])", "giu");
  var SEPARATOR = /[\s\-]+/;
  var TRIM = new RegExp("^[^" + WORD + "]*?([" + WORD + "]+)[^" + WORD + "]*?$", "u");

  function prepare(text) {
    return text.replace(EXTRA_SEPARATORS, " ").replace(APOSTROPHES, "'").replace(POSSESSIVE, "  ");
  }

  function trim(token) {
    var match = TRIM.exec(token);
    return match ? match[1] : token;
  }

  function isStopWord(word) {
    return lunr.stopWordFilter(new lunr.Token(word, {})) === undefined;
  }

  function stem(word) {
    return lunr.stemmer(new lunr.Token(word, {})).toString();
  }

  /** The words of ``text`` before stemming, as lunr.py split and trimmed it. */
  function tokens(text) {
    return prepare(text).toLowerCase().split(SEPARATOR).filter(Boolean).map(trim);
  }

  /** What the index holds for a piece of text: the terms lunr.py made of it. */
  function analyse(text) {
    return tokens(text).filter(function (word) { return !isStopWord(word); }).map(stem);
  }

  /* What people type, read without lunr's query parser (which throws on a
   * stray ":" or "^"): a leading "-" excludes a word and "+" is allowed (every
   * word is required anyway), "title:" and the other field names limit a word
   * to that field, lunr's "^10" and "~1" suffixes are dropped, and "*" is a
   * space: every word is looked up as a prefix anyway. */
  var LUNR_SUFFIX = /[\^~]\d*$/;

  /** [{text, stem, excluded, fields}], no duplicates; ``skipped`` gets the words
   * too common to be in the index. */
  function queryWords(query, fields, skipped) {
    var words = [], seen = {};
    query.split(/\s+/).forEach(function (part) {
      var excluded = part.length > 1 && part.charAt(0) === "-";
      part = part.replace(/^[+-]/, "");
      var colon = part.indexOf(":"), scope = null;
      if (colon > 0 && fields.indexOf(part.slice(0, colon).toLowerCase()) !== -1) {
        scope = [part.slice(0, colon).toLowerCase()];
        part = part.slice(colon + 1);
      }
      tokens(part.replace(LUNR_SUFFIX, "").replace(/\*/g, " ")).forEach(function (word) {
        if (isStopWord(word)) {
          if (skipped) skipped.push(word);
          return;
        }
        var key = (excluded ? "-" : "") + (scope || "") + ":" + word;
        if (seen[key]) return;
        seen[key] = true;
        words.push({ text: word, stem: stem(word), excluded: excluded, fields: scope });
      });
    });
    return words;
  }

  /* ---- Searching one shard. Each word is looked up twice, as a stemmed term
   * and as a prefix of unstemmed terms (lunr skips the stemmer for wildcards),
   * so "sanctions" finds "sanction" and "chern" finds "chernobyl". Both clauses
   * are optional (lunr has no "one of these two is required"), and every word
   * is then required below: several words narrow the results. The query is
   * built with lunr's API, never its parser, so ":", "^", "~" or "*" typed by a
   * reader are just characters and no QueryParseError can happen. */
  /** Whether the index term ``term`` of a result's ``match`` answers ``word``. */
  function matchesWord(match, term, word) {
    if (term !== word.stem && !term.startsWith(word.text)) return false;
    return !word.fields || word.fields.some(function (field) { return field in match[term]; });
  }

  function clauses(word, exact, prefix) {
    var options = [exact];
    if (word.text.length > 1) options.push(prefix);
    return options.map(function (option) {
      if (word.fields) option.fields = word.fields;
      return option;
    });
  }

  function searchShard(shard, words) {
    var PROHIBITED = lunr.Query.presence.PROHIBITED, TRAILING = lunr.Query.wildcard.TRAILING;
    var results = shard.index.query(function (query) {
      words.forEach(function (word) {
        var exact = word.excluded ? { presence: PROHIBITED } : { boost: EXACT_BOOST };
        var prefix = { usePipeline: false, wildcard: TRAILING, boost: 1 };
        if (word.excluded) prefix.presence = PROHIBITED;
        clauses(word, exact, prefix).forEach(function (option) { query.term(word.text, option); });
      });
    });
    var found = words.map(function () { return false; });
    var hits = [];
    results.forEach(function (result) {
      var match = result.matchData.metadata, terms = Object.keys(match), all = true;
      words.forEach(function (word, i) {
        if (word.excluded) return; // lunr has left those out
        if (terms.some(function (term) { return matchesWord(match, term, word); })) found[i] = true;
        else all = false;
      });
      if (all) hits.push({ doc: shard.store[Number(result.ref)], score: result.score, match: match });
    });
    return { hits: hits, found: found };
  }

  /* ---- Highlighting: lunr.py's positions count code points in the text as
   * indexed; JavaScript strings count UTF-16 units. */
  function toUnits(text) {
    var units = []; // code point index -> UTF-16 offset
    for (var i = 0; i < text.length; i++) {
      units.push(i);
      var code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) i++;
    }
    units.push(text.length);
    return units;
  }

  function ranges(match, field, text) {
    var units = null, found = [];
    Object.keys(match).forEach(function (term) {
      var positions = match[term][field] && match[term][field].position;
      if (!positions) return;
      units = units || toUnits(text);
      positions.forEach(function (position) {
        var start = position[0], end = position[0] + position[1];
        if (end < units.length) found.push([units[start], units[end]]);
      });
    });
    found.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    found.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push(range.slice());
    });
    return merged;
  }

  // Paragraphs of a snippet run on in one line, with a dot between them.
  function flat(text) {
    return text.replace(/\s*\n\s*/g, " \u00b7 ");
  }

  function appendMarked(parent, text, marks, from) {
    var at = from || 0;
    marks.forEach(function (range) {
      if (range[1] <= at) return;
      var start = Math.max(range[0], at);
      if (start > at) parent.appendChild(document.createTextNode(flat(text.slice(at, start))));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(start, range[1]);
      parent.appendChild(mark);
      at = range[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(flat(text.slice(at))));
  }

  /** Where a long snippet starts so that its first match is in view. */
  function snippetStart(text, marks) {
    if (!marks.length || marks[0][0] <= SNIPPET_LEAD * 2) return 0;
    var space = text.lastIndexOf(" ", marks[0][0] - SNIPPET_LEAD);
    return space > 0 ? space + 1 : 0;
  }

  /** Where the words that no highlight shows were found: "further in the text",
   * "in the byline"… so that every result explains itself. */
  var PLACES = { body: "further in the text", byline: "in the byline", labels: "in the labels" };

  function elsewhere(match, words) {
    var places = {}, order = [];
    words.forEach(function (word) {
      if (word.excluded) return;
      var fields = {}, shown = false;
      Object.keys(match).forEach(function (term) {
        if (!matchesWord(match, term, word)) return;
        Object.keys(match[term]).forEach(function (field) {
          var positions = match[term][field].position;
          if ((field === "title" || field === "body") && positions && positions.length) shown = true;
          else fields[field] = true;
        });
      });
      if (shown) return;
      Object.keys(fields).forEach(function (field) {
        var place = PLACES[field] || "in the " + field;
        if (!places[place]) { places[place] = []; order.push(place); }
        places[place].push(word.text);
      });
    });
    return order.map(function (place) {
      return place.charAt(0).toUpperCase() + place.slice(1) + ": " + places[place].join(", ");
    }).join(" \u00b7 ");
  }

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
    this.manifest = window[DATA_GLOBAL] && window[DATA_GLOBAL].manifest;
    this.blogTitles = {};
    this.loading = {}; // shard key -> Promise of {key, index, store}
    this.ready = {}; // shard key -> {key, index, store} once loaded
    this.generation = 0;
    this.hits = [];
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
    this.more.addEventListener("click", function () { self.showMore(true); });
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

  SearchPage.prototype.loadScript = function (path) {
    var src = this.root + path;
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { script.remove(); reject(new Error(src)); };
      document.head.appendChild(script);
    });
  };

  SearchPage.prototype.shard = function (info) {
    var self = this, key = info.key;
    if (!this.loading[key]) {
      this.loading[key] = Promise.all([this.loadScript(info.index), this.loadScript(info.store)]).then(function () {
        var data = window[DATA_GLOBAL];
        var shard = { key: key, index: lunr.Index.load(data["index/" + key]), store: data["store/" + key] };
        delete data["index/" + key]; // lunr keeps its own copy
        self.ready[key] = shard;
        return shard;
      });
      this.loading[key].catch(function () { delete self.loading[key]; });
    }
    return this.loading[key];
  };

  /** The shards a search needs, newest first (the manifest's order). */
  SearchPage.prototype.wantedShards = function () {
    var period = this.choice("period");
    return this.manifest.shards.filter(function (info) { return !period || info.period === period; });
  };

  SearchPage.prototype.run = function (fromLocation) {
    var self = this, generation = ++this.generation;
    window.clearTimeout(this.timer);
    if (!fromLocation) this.writeLocation();
    var query = this.input.value.trim();
    var skipped = [];
    var words = queryWords(query, this.manifest.fields, skipped);
    var filtered = this.filters.some(function (name) { return self.choice(name); });
    this.help.hidden = true;
    if (!words.length && !filtered) {
      this.clear();
      if (!query) this.say("");
      else this.noResults(words, [], 0, skipped);
      return;
    }
    this.next({
      generation: generation, words: words, skipped: skipped, infos: this.wantedShards(), done: 0,
      hits: [], before: 0, found: words.map(function () { return false; }), shown: false,
    });
  };

  /* One search over its shards: every shard already loaded is searched at once;
   * then the next one is loaded, and so on, each time showing the results so far
   * (best first among them) and saying how many parts are searched. A newer
   * search (another generation) stops an older one between shards. */
  SearchPage.prototype.next = function (task) {
    var self = this, total = task.infos.length, searched = false;
    while (task.done < total && this.ready[task.infos[task.done].key]) {
      this.searchShard(task, this.ready[task.infos[task.done].key]);
      task.done++;
      searched = true;
    }
    if (task.done === total) {
      this.finish(task);
      return;
    }
    if (searched) this.showHits(task);
    var parts = task.done + " of " + total + (total === 1 ? " part" : " parts");
    var sofar = task.done ? ", " + task.hits.length + (task.hits.length === 1 ? " entry" : " entries") + " found so far" : "";
    this.say("Searching\u2026 " + parts + sofar + ".");
    this.shard(task.infos[task.done]).then(function () {
      if (task.generation === self.generation) self.next(task);
    }, function (error) {
      if (task.generation !== self.generation) return;
      self.clear();
      self.say("The search index could not be loaded (" + error.message + "). Reload the page to try again.");
    });
  };

  SearchPage.prototype.searchShard = function (task, shard) {
    var blog = this.choice("blog"), label = this.choice("label");
    var hits = [];
    if (task.words.length) {
      var answer = searchShard(shard, task.words);
      answer.found.forEach(function (yes, i) { if (yes) task.found[i] = true; });
      hits = answer.hits;
    } else {
      // Filters without words: every entry that passes them, newest first.
      hits = shard.store.map(function (doc) { return { doc: doc, score: 0, match: {} }; });
    }
    task.before += hits.length;
    hits.forEach(function (hit) {
      if ((!blog || hit.doc.blog === blog) &&
          (!label || hit.doc.labels.some(function (name) { return name.toLowerCase() === label; }))) {
        task.hits.push(hit);
      }
    });
  };

  function byScoreThenNewest(a, b) {
    return b.score - a.score || (a.doc.day < b.doc.day ? 1 : a.doc.day > b.doc.day ? -1 : 0);
  }

  /** The results so far, in order: as many as were shown (at least a page), and
   * the result that has the focus keeps it, wherever it moved. */
  SearchPage.prototype.showHits = function (task) {
    task.hits.sort(byScoreThenNewest);
    var active = document.activeElement, focused = this.list.contains(active) ? active.getAttribute("href") : null;
    var keep = task.shown ? this.shown : 0;
    if (focused) {
      keep = Math.max(keep, 1 + task.hits.findIndex(function (hit) { return this.root + hit.doc.url === focused; }, this));
    }
    this.clear();
    this.hits = task.hits;
    this.words = task.words;
    task.shown = true;
    this.showMore(false, keep);
    if (focused) {
      var again = this.links().filter(function (link) { return link.getAttribute("href") === focused; })[0];
      if (again) again.focus();
    }
  };

  SearchPage.prototype.finish = function (task) {
    if (!task.hits.length) {
      this.clear();
      this.noResults(task.words, task.found, task.before, task.skipped);
      return;
    }
    this.showHits(task);
    var count = task.hits.length === 1 ? "1 entry matches" : task.hits.length + " entries match";
    var what = task.words.length ? " \u201c" + this.input.value.trim() + "\u201d" : " the filters";
    this.say(count + what + this.filterText() + ".");
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

  /** The next page of results, or up to ``upTo`` of them if that is more. */
  SearchPage.prototype.showMore = function (moveFocus, upTo) {
    var first = this.shown, self = this;
    var batch = this.hits.slice(this.shown, Math.max(this.shown + PAGE_SIZE, upTo || 0));
    batch.forEach(function (hit) { self.list.appendChild(self.result(hit)); });
    this.shown += batch.length;
    var left = this.hits.length - this.shown;
    this.more.hidden = left <= 0;
    this.more.textContent = "Show " + Math.min(left, PAGE_SIZE) + " more (" + left + " left)";
    if (moveFocus && batch.length) this.list.children[first].querySelector("a").focus();
  };

  SearchPage.prototype.result = function (hit) {
    var doc = hit.doc;
    var item = element("li", "result");
    var heading = element("h2", "result-title");
    var link = element("a");
    link.href = this.root + doc.url;
    appendMarked(link, doc.title, ranges(hit.match, "title", doc.title));
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

    if (doc.snippet) {
      var text = doc.snippet, marks = ranges(hit.match, "body", text);
      var start = snippetStart(text, marks);
      var snippet = element("p", "result-snippet");
      if (start) snippet.appendChild(document.createTextNode("\u2026"));
      appendMarked(snippet, text, marks, start);
      item.appendChild(snippet);
    }
    var also = this.words.length ? elsewhere(hit.match, this.words) : "";
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

  window.BriefingsSearch = { analyse: analyse, queryWords: queryWords };

  var form = document.getElementById("search-form");
  if (form) new SearchPage(form).start();
})();
