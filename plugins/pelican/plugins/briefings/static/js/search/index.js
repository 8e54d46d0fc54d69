/* Briefings search, 2 of 4: the index, loaded by term (search.py, search_parts.py).
 *
 * The manifest lists the first term of each part of the index; a query loads
 * the parts that hold its words' stems and the terms its words start, and
 * scores it over just those terms (TermIndex, lunr's query over typed arrays).
 * lunr.js scores a query by the query's own terms only, so this ranks it
 * exactly as the whole index would.
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
    this.postings = new Map(); // term -> its decoded posting lists, kept between queries
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

  /** An index (TermIndex) of the terms ``words`` may match. */
  Loader.prototype.index = function (words) {
    var self = this, numbers = partsFor(this.manifest.parts, words);
    return Promise.all(numbers.map(function (number) {
      return self.load("search/terms/" + number + ".js", "terms/" + number);
    })).then(function (parts) {
      return new TermIndex(parts, self.manifest, self.postings);
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
    // Each entry's day as its place among the days, for sorting by day fast.
    var distinct = table.days.map(function (run) { return run[0]; }).sort(), place = new Map();
    distinct.forEach(function (day, at) { place.set(day, at); });
    var dayOrder = new Int32Array(table.count), ref = 0;
    table.days.forEach(function (run) {
      dayOrder.fill(place.get(run[0]), ref, ref + run[1]);
      ref += run[1];
    });
    return {
      count: table.count, periods: expand(table.periods), blogs: expand(table.blogs), dayOrder: dayOrder,
      labels: labels,
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

  /* ---- Scoring: lunr.Index.prototype.query over typed arrays
   *
   * A lunr.Index made of the parts spends its time making objects: one per
   * posting, per field vector, per match (for "russia" at 50,000 entries, some
   * 100,000 of each, and half a second of query and garbage collection). A
   * TermIndex keeps a term's postings as two typed arrays (refs, weights) and
   * runs lunr's own query the way lunr.Index.prototype.query (lunr.js 2.3.9)
   * does: the clauses of a lunr.Query, each term through lunr's pipeline and
   * expanded by lunr.TokenSet's intersect of the loaded terms, the query vector
   * a lunr.Vector per field; and per document and field lunr's score, the dot
   * product of the query vector with the field vector (summed in the order of
   * the terms' places in the vectors, as lunr.Vector.dot does) divided by the
   * query vector's magnitude, the fields added up in the order lunr first met
   * them, ties in lunr's order. The same refs, in the same order, with the same
   * scores: tests/test_search_ranking_browser.py checks it against lunr.js's
   * own index of the whole archive. */

  var COMPLETE = "complete"; // lunr.Set.complete

  function TermIndex(parts, manifest, postings) {
    this.parts = parts;
    this.fields = manifest.fields;
    this.count = manifest.entries;
    this.pipeline = lunr.Pipeline.load(manifest.pipeline);
    this.postings = postings || new Map();
    this.fieldNumber = {};
    var numbers = this.fieldNumber;
    this.fields.forEach(function (field, number) { numbers[field] = number; });
    this.terms = null; // every loaded term, in UTF-16 order, once a wildcard needs them
  }

  /** {index, fields: [{refs, weights} or null by field number]}, or null. */
  TermIndex.prototype.posting = function (term) {
    var found = this.postings.get(term);
    if (found !== undefined) return found;
    var encoded = null;
    for (var p = 0; p < this.parts.length && !encoded; p++) {
      if (Object.prototype.hasOwnProperty.call(this.parts[p], term)) encoded = this.parts[p][term];
    }
    if (!encoded) return null;
    var byField = this.fields.map(function () { return null; }), at = 1;
    while (at < encoded.length) {
      var count = encoded[at + 1], refs = new Int32Array(count), weights = new Float64Array(count), ref = 0;
      for (var k = 0; k < count; k++) {
        ref += encoded[at + 2 + k];
        refs[k] = ref;
        weights[k] = encoded[at + 2 + count + k] / 1000;
      }
      byField[encoded[at]] = { refs: refs, weights: weights };
      at += 2 + 2 * count;
    }
    found = { index: encoded[0], fields: byField };
    this.postings.set(term, found);
    return found;
  };

  /** The loaded terms that start with ``prefix``, in UTF-16 order. */
  TermIndex.prototype.startingWith = function (prefix) {
    if (!this.terms) {
      var terms = [];
      this.parts.forEach(function (part) { terms.push.apply(terms, Object.keys(part)); });
      this.terms = terms.sort();
    }
    var low = 0, high = this.terms.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (this.terms[middle] < prefix) low = middle + 1; else high = middle;
    }
    var found = [];
    while (low < this.terms.length && this.terms[low].startsWith(prefix)) found.push(this.terms[low++]);
    return found;
  };

  /** The terms a clause matches, in the order lunr.js would take them: the
   * intersection of a lunr.TokenSet of the candidates with the clause's. The
   * candidates hold every loaded term under the clause's fixed start, which are
   * every index term under it (partsFor), so the intersection's order is the
   * whole index's. */
  TermIndex.prototype.expand = function (clause) {
    var term = clause.term, star = term.indexOf(lunr.Query.wildcard);
    if (star === -1 && !clause.editDistance) return this.posting(term) ? [term] : [];
    var candidates = this.startingWith(clause.editDistance ? "" : term.slice(0, star));
    if (!candidates.length) return [];
    return lunr.TokenSet.fromArray(candidates).intersect(lunr.TokenSet.fromClause(clause)).toArray();
  };

  function union(set, refs) {
    for (var k = 0; k < refs.length; k++) set[refs[k]] = 1;
  }

  function intersect(a, b) {
    if (a === COMPLETE) return b;
    if (b === COMPLETE) return a;
    var both = new Uint8Array(a.length);
    for (var i = 0; i < a.length; i++) both[i] = a[i] & b[i];
    return both;
  }

  function contains(refs, ref) {
    var low = 0, high = refs.length - 1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (refs[middle] === ref) return true;
      if (refs[middle] < ref) low = middle + 1; else high = middle - 1;
    }
    return false;
  }

  /** A query (a function of a lunr.Query, as lunr.Index.prototype.query takes)
   * run: a Run, every matching document with its score, unsorted. */
  TermIndex.prototype.run = function (fn) {
    var fields = this.fields, size = this.count, self = this;
    var PRESENCE = lunr.Query.presence, query = new lunr.Query(fields);
    fn.call(query, query);
    var vectors = fields.map(function () { return new lunr.Vector(); });
    var scored = fields.map(function () { return []; }); // by field: [{index, list}]
    var order = fields.map(function () { return null; }); // by field: Int32Array, when lunr first met (ref, field), from 1
    var required = [], prohibited = [], seen = Object.create(null), met = 0;
    var clauses = [], matched = []; // by clause: the documents it found; [term, field, list] for matchData
    query.clauses.forEach(function (clause) {
      var found = new Uint8Array(size), clauseMatches = new Uint8Array(size);
      var terms = clause.usePipeline ? self.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
      clauses.push(found);
      for (var m = 0; m < terms.length; m++) {
        clause.term = terms[m];
        var expanded = self.expand(clause);
        if (!expanded.length && clause.presence === PRESENCE.REQUIRED) {
          clause.fields.forEach(function (name) { required[self.fieldNumber[name]] = new Uint8Array(size); });
          break;
        }
        expanded.forEach(function (term) {
          var posting = self.posting(term);
          clause.fields.forEach(function (name) {
            var field = self.fieldNumber[name], list = posting.fields[field], key = term + "/" + name;
            var refs = list ? list.refs : new Int32Array(0);
            union(found, refs);
            if (clause.presence === PRESENCE.REQUIRED) {
              union(clauseMatches, refs);
              if (required[field] === undefined) required[field] = COMPLETE;
            }
            if (clause.presence === PRESENCE.PROHIBITED) {
              union(prohibited[field] || (prohibited[field] = new Uint8Array(size)), refs);
              return;
            }
            vectors[field].upsert(posting.index, clause.boost, function (a, b) { return a + b; });
            if (seen[key]) return;
            seen[key] = true;
            if (!list) return;
            var first = order[field] || (order[field] = new Int32Array(size));
            for (var k = 0; k < refs.length; k++) if (!first[refs[k]]) first[refs[k]] = ++met;
            scored[field].push({ index: posting.index, list: list });
            matched.push([term, name, refs]);
          });
        });
      }
      if (clause.presence === PRESENCE.REQUIRED) {
        clause.fields.forEach(function (name) {
          var field = self.fieldNumber[name];
          required[field] = intersect(required[field], clauseMatches);
        });
      }
    });
    var allRequired = COMPLETE, allProhibited = new Uint8Array(size);
    fields.forEach(function (_, field) {
      if (required[field] !== undefined) allRequired = intersect(allRequired, required[field]);
      if (prohibited[field]) for (var i = 0; i < size; i++) allProhibited[i] |= prohibited[field][i];
    });
    // Each field's dot products, term by term in the order of their places in
    // the vectors (lunr.Vector.dot's order of addition), divided by the query
    // vector's magnitude.
    var fieldScores = fields.map(function (_, field) {
      if (!scored[field].length) return null;
      var dots = new Float64Array(size), vector = vectors[field];
      scored[field].sort(function (a, b) { return a.index - b.index; }).forEach(function (term) {
        var weight = vector.elements[vector.positionForIndex(term.index) + 1];
        var refs = term.list.refs, weights = term.list.weights, count = refs.length;
        for (var k = 0; k < count; k++) dots[refs[k]] += weight * weights[k];
      });
      var magnitude = vector.magnitude();
      for (var i = 0; i < size; i++) dots[i] = dots[i] / magnitude || 0;
      return dots;
    });
    return new Run(this, fields, fieldScores, order, allRequired, allProhibited, clauses, matched);
  };

  /** lunr.Index.prototype.query's answer: [{ref, score, matchData}], best first. */
  TermIndex.prototype.query = function (fn) {
    var run = this.run(fn);
    return run.ranked().map(function (at) {
      return { ref: String(run.refs[at]), score: run.scores[at], matchData: { metadata: run.metadata(run.refs[at]) } };
    });
  };

  /** The documents a query matched: ``refs``, their ``scores`` and ``firsts``
   * (lunr's order of equal scores), in ref order; ``clauses[n]``: which
   * documents (a Uint8Array by ref) clause n found. */
  function Run(index, fields, fieldScores, order, allRequired, allProhibited, clauses, matched) {
    var refs = [], scores = [], firsts = [], met = [], size = index.count, count, i;
    var touched = [];
    for (var field = 0; field < fields.length; field++) if (order[field]) touched.push(field);
    for (var ref = 0; ref < size; ref++) {
      if (allProhibited[ref] || (allRequired !== COMPLETE && !allRequired[ref])) continue;
      count = 0;
      for (i = 0; i < touched.length; i++) if (order[touched[i]][ref]) met[count++] = touched[i];
      if (!count) continue;
      for (i = 1; i < count; i++) { // the fields in the order lunr met them (a few: insertion sort)
        var moved = met[i], at = i - 1;
        while (at >= 0 && order[met[at]][ref] > order[moved][ref]) { met[at + 1] = met[at]; at--; }
        met[at + 1] = moved;
      }
      var score = fieldScores[met[0]][ref];
      for (i = 1; i < count; i++) score += fieldScores[met[i]][ref];
      refs.push(ref);
      scores.push(score);
      firsts.push(order[met[0]][ref]);
    }
    this.refs = refs;
    this.scores = scores;
    this.firsts = firsts;
    this.clauses = clauses;
    this.matched = matched;
  }

  /** Places in ``refs``, best first, as lunr.js ranks them. */
  Run.prototype.ranked = function () {
    var scores = this.scores, firsts = this.firsts;
    return scores.map(function (_, at) { return at; }).sort(function (a, b) {
      return scores[b] - scores[a] || firsts[a] - firsts[b];
    });
  };

  /** lunr's matchData.metadata for one document: {term: {field: {}}}. */
  Run.prototype.metadata = function (ref) {
    var metadata = Object.create(null);
    this.matched.forEach(function (match) {
      if (!contains(match[2], ref)) return;
      (metadata[match[0]] || (metadata[match[0]] = Object.create(null)))[match[1]] = {};
    });
    return metadata;
  };

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

  /** The clauses buildQuery makes for each word: its places in the query. */
  function clausesOf(words) {
    var next = 0;
    return words.map(function (word) {
      var places = [next++];
      if (word.text.length > 1) places.push(next++);
      return places;
    });
  }

  /** By word, the documents that have it (a Uint8Array by ref), from a Run of
   * buildQuery(words): those its own clauses found. */
  function wordDocuments(words, clauses) {
    return clausesOf(words).map(function (places) {
      if (places.length === 1) return clauses[places[0]];
      var either = new Uint8Array(clauses[places[0]]), other = clauses[places[1]];
      for (var ref = 0; ref < either.length; ref++) either[ref] |= other[ref];
      return either;
    });
  }

  search.DATA = DATA;
  search.Loader = Loader;
  search.partsFor = partsFor;
  search.TermIndex = TermIndex;
  search.buildQuery = buildQuery;
  search.matchesWord = matchesWord;
  search.wordDocuments = wordDocuments;
})(window.BriefingsSearch = window.BriefingsSearch || {});
