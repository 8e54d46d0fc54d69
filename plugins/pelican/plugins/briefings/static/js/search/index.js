/* Briefings search, 2 of 4: the index, loaded by term (search.py, search_parts.py).
 *
 * The manifest lists the first term of each part of the index; a query loads
 * the parts that hold its words' stems and the terms its words start, and
 * builds a lunr.Index of just those terms. lunr.js scores a query by the query's
 * own terms only, so this index ranks it exactly as the whole index would.
 * Every file is a classic <script src>, which, unlike fetch(), also works from
 * file://; each is loaded once.
 */
(function (search) {
  "use strict";

  var DATA = "BriefingsSearchData";
  var EXACT_BOOST = 10;

  function data() {
    return window[DATA] || {};
  }

  /** Loads site files as scripts, each once, relative to the site's root. */
  function Loader(root, manifest) {
    this.root = root;
    this.manifest = manifest;
    this.scripts = {}; // path -> Promise
    this.table = null; // Promise of the entries' table
  }

  Loader.prototype.script = function (path) {
    var src = this.root + path, scripts = this.scripts;
    if (!scripts[path]) {
      scripts[path] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { script.remove(); delete scripts[path]; reject(new Error(src)); };
        document.head.appendChild(script);
      });
    }
    return scripts[path];
  };

  /** The data a script assigned, once it has run. */
  Loader.prototype.load = function (path, key) {
    return this.script(path).then(function () { return data()[key]; });
  };

  Loader.prototype.entry = function (ref) {
    return this.load("search/entry/" + ref + ".js", "entry/" + ref);
  };

  /** Every entry's period, blog, day and labels, by ref. */
  Loader.prototype.entries = function () {
    if (!this.table) this.table = this.load("search/entries.js", "entries").then(decodeTable);
    return this.table;
  };

  /** A lunr.Index of the terms ``words`` may match. */
  Loader.prototype.index = function (words) {
    var self = this, numbers = partsFor(this.manifest.parts, words);
    return Promise.all(numbers.map(function (number) {
      return self.load("search/terms/" + number + ".js", "terms/" + number);
    })).then(function (parts) {
      return assemble(parts, self.manifest.fields, self.manifest.pipeline);
    });
  };

  function expand(runs) {
    var values = [];
    runs.forEach(function (run) { for (var i = 0; i < run[1]; i++) values.push(run[0]); });
    return values;
  }

  function decodeTable(table) {
    var labels = {};
    Object.keys(table.labels).forEach(function (label) {
      var has = new Uint8Array(table.count), ref = 0;
      table.labels[label].forEach(function (gap) { ref += gap; has[ref] = 1; });
      labels[label] = has;
    });
    return {
      count: table.count, periods: expand(table.periods), blogs: expand(table.blogs),
      days: expand(table.days), labels: labels,
    };
  }

  /** The last part whose first term is not after ``term`` (-1 if none). */
  function partOf(parts, term) {
    var low = 0, high = parts.length - 1, found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (parts[middle] <= term) { found = middle; low = middle + 1; } else high = middle - 1;
    }
    return found;
  }

  /** The parts that hold the stems of ``words`` and, for the prefix clause, every
   * term that a word starts (those follow each other in the parts' order). */
  function partsFor(parts, words) {
    var wanted = {};
    words.forEach(function (word) {
      var at = partOf(parts, word.stem);
      if (at >= 0) wanted[at] = true;
      if (word.text.length < 2) return;
      at = partOf(parts, word.text);
      if (at >= 0) wanted[at] = true;
      for (var next = at + 1; next < parts.length && parts[next].startsWith(word.text); next++) wanted[next] = true;
    });
    return Object.keys(wanted).map(Number).sort(function (a, b) { return a - b; });
  }

  // No metadata (no positions) in the index: every posting can share one empty
  // object, which lunr.MatchData copies and never changes.
  var NO_METADATA = Object.freeze({});

  /** A lunr.Index from parts ({term: [_index, field, n, gaps…, weights…, …]}). */
  function assemble(parts, fields, pipeline) {
    var inverted = {}, elements = {}, terms = [];
    parts.forEach(function (part) {
      Object.keys(part).forEach(function (term) {
        var encoded = part[term], index = encoded[0], posting = { _index: index };
        fields.forEach(function (field) { posting[field] = {}; });
        for (var at = 1; at < encoded.length; at += 2 + 2 * encoded[at + 1]) {
          var field = fields[encoded[at]], count = encoded[at + 1], refs = posting[field], ref = 0;
          for (var k = 0; k < count; k++) {
            ref += encoded[at + 2 + k];
            refs[ref] = NO_METADATA;
            var key = field + "/" + ref;
            (elements[key] || (elements[key] = [])).push(index, encoded[at + 2 + count + k] / 1000);
          }
        }
        inverted[term] = posting;
        terms.push(term);
      });
    });
    var vectors = {};
    Object.keys(elements).forEach(function (key) { vectors[key] = new lunr.Vector(sortedPairs(elements[key])); });
    terms.sort(); // UTF-16 order, as lunr.TokenSet.fromArray needs
    return new lunr.Index({
      invertedIndex: inverted, fieldVectors: vectors, tokenSet: lunr.TokenSet.fromArray(terms),
      fields: fields, pipeline: lunr.Pipeline.load(pipeline),
    });
  }

  /** [i, v, i, v…] in order of i (lunr.Vector's elements). */
  function sortedPairs(flat) {
    var ordered = true;
    for (var at = 2; at < flat.length; at += 2) if (flat[at] < flat[at - 2]) { ordered = false; break; }
    if (ordered) return flat;
    var pairs = [];
    for (at = 0; at < flat.length; at += 2) pairs.push([flat[at], flat[at + 1]]);
    pairs.sort(function (a, b) { return a[0] - b[0]; });
    return [].concat.apply([], pairs);
  }

  /* Each word is looked up twice, as a stemmed term and as a prefix of
   * unstemmed terms (lunr skips the stemmer for wildcards), so "sanctions" finds
   * "sanction" and "chern" finds "chernobyl". Both clauses are optional (lunr has
   * no "one of these two is required"), and every word is then required by
   * ``matches``. The query is built with lunr's API, never its parser, so ":",
   * "^", "~" or "*" typed by a reader are just characters and no
   * QueryParseError can happen. Excluded words are prohibited. */
  function buildQuery(words) {
    var PROHIBITED = lunr.Query.presence.PROHIBITED, TRAILING = lunr.Query.wildcard.TRAILING;
    return function (query) {
      words.forEach(function (word) {
        var options = [word.excluded ? { presence: PROHIBITED } : { boost: EXACT_BOOST }];
        if (word.text.length > 1) {
          var prefix = { usePipeline: false, wildcard: TRAILING, boost: 1 };
          if (word.excluded) prefix.presence = PROHIBITED;
          options.push(prefix);
        }
        options.forEach(function (option) {
          if (word.fields) option.fields = word.fields;
          query.term(word.text, option);
        });
      });
    };
  }

  /** Whether the index term ``term`` of a result's ``match`` answers ``word``. */
  function matchesWord(match, term, word) {
    if (!search.answers(term, word)) return false;
    return !word.fields || word.fields.some(function (field) { return field in match[term]; });
  }

  /** Which of ``words`` (not excluded) a result's matchData holds: [true, false…]. */
  function wordsIn(match, words) {
    var terms = Object.keys(match);
    return words.map(function (word) {
      return !word.excluded && terms.some(function (term) { return matchesWord(match, term, word); });
    });
  }

  search.DATA = DATA;
  search.Loader = Loader;
  search.partsFor = partsFor;
  search.assemble = assemble;
  search.buildQuery = buildQuery;
  search.matchesWord = matchesWord;
  search.wordsIn = wordsIn;
})(window.BriefingsSearch = window.BriefingsSearch || {});
