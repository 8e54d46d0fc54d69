/* Briefings search, 3 of 4: why a result matched. The words a query found are
 * marked in the title and in passages of the entry's text, wherever in the
 * text they are: the passage with the most different query words, then one
 * more short passage for each word it missed (two at most). The words are found
 * by analysing the text as the index did (analysis.js), so a mark is exactly a
 * word the index matched. Everything goes into the page as text nodes.
 */
(function (search) {
  "use strict";

  var EXTRA_PASSAGES = 2;

  /** [{start, end, word}] for each word of ``text`` (a field) that answers one
   * of ``words`` (``word``: its place in ``words``). */
  function marks(text, field, words) {
    var found = [];
    search.spans(text).forEach(function (span) {
      if (span.term === null) return;
      for (var i = 0; i < words.length; i++) {
        var word = words[i];
        if (word.excluded || (word.fields && word.fields.indexOf(field) === -1)) continue;
        if (search.answers(span.term, word)) {
          found.push({ start: span.start, end: span.end, word: i });
          return;
        }
      }
    });
    return found;
  }

  function distinct(found, from, to) {
    var seen = {}, count = 0;
    found.forEach(function (mark) {
      if (mark.start >= from && mark.end <= to && !seen[mark.word]) { seen[mark.word] = true; count++; }
    });
    return count;
  }

  /** A window of about ``length`` characters with ``mark`` a quarter in. */
  function around(text, mark, length) {
    var start = Math.max(0, mark.start - Math.floor(length / 4));
    var end = Math.min(text.length, start + length);
    start = Math.max(0, Math.min(start, end - length));
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space !== -1 && space < mark.start) start = space + 1;
    }
    if (end < text.length) {
      var last = text.lastIndexOf(" ", end);
      if (last > mark.end) end = last;
    }
    return [start, end];
  }

  /** The passages of ``text`` to show, in order: [[start, end], …]. */
  function passages(text, found, length) {
    if (!found.length) return [[0, around(text, { start: 0, end: 0 }, length)[1]]];
    var best = null, bestCount = -1;
    found.forEach(function (mark) {
      var window = around(text, mark, length), count = distinct(found, window[0], window[1]);
      if (count > bestCount) { best = window; bestCount = count; }
    });
    var chosen = [best], shown = {};
    found.forEach(function (mark) { if (mark.start >= best[0] && mark.end <= best[1]) shown[mark.word] = true; });
    found.forEach(function (mark) {
      if (shown[mark.word] || chosen.length > EXTRA_PASSAGES) return;
      shown[mark.word] = true;
      chosen.push(around(text, mark, Math.floor(length / 2)));
    });
    chosen.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    chosen.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push(range.slice());
    });
    return merged;
  }

  // Paragraphs run on in one line, with a dot between them.
  function flat(text) {
    return text.replace(/\s*\n\s*/g, " \u00b7 ");
  }

  /** ``text`` from ``from`` to ``to`` into ``parent``, the ``found`` words in <mark>. */
  function appendMarked(parent, text, found, from, to) {
    var at = from;
    found.forEach(function (mark) {
      if (mark.start < at || mark.end > to) return;
      if (mark.start > at) parent.appendChild(document.createTextNode(flat(text.slice(at, mark.start))));
      var node = document.createElement("mark");
      node.textContent = text.slice(mark.start, mark.end);
      parent.appendChild(node);
      at = mark.end;
    });
    if (at < to) parent.appendChild(document.createTextNode(flat(text.slice(at, to))));
  }

  /** The title with its words marked; returns the words it shows. */
  function title(parent, text, words) {
    var found = marks(text, "title", words);
    appendMarked(parent, text, found, 0, text.length);
    return found;
  }

  /** The passages of the text, marked, with "…" where text was left out;
   * returns the marks shown. */
  function snippet(parent, text, words, length) {
    var found = marks(text, "body", words), shown = [], end = 0;
    passages(text, found, length).forEach(function (range) {
      if (range[0] > 0) parent.appendChild(document.createTextNode(end ? " \u2026 " : "\u2026"));
      var inside = found.filter(function (mark) { return mark.start >= range[0] && mark.end <= range[1]; });
      appendMarked(parent, text, inside, range[0], range[1]);
      shown = shown.concat(inside);
      end = range[1];
    });
    if (end < text.length) parent.appendChild(document.createTextNode("\u2026"));
    return shown;
  }

  /** Where the words that no mark shows were found: "in the byline", "in the
   * entities"… so that every result explains itself. */
  var PLACES = { body: "further in the text", byline: "in the byline", labels: "in the labels" };

  function elsewhere(match, words, shown) {
    var places = {}, order = [], marked = {};
    shown.forEach(function (mark) { marked[mark.word] = true; });
    words.forEach(function (word, i) {
      if (word.excluded || marked[i]) return;
      var fields = {};
      Object.keys(match).forEach(function (term) {
        if (!search.matchesWord(match, term, word)) return;
        Object.keys(match[term]).forEach(function (field) { if (field !== "title") fields[field] = true; });
      });
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

  search.marks = marks;
  search.passages = passages;
  search.title = title;
  search.snippet = snippet;
  search.elsewhere = elsewhere;
})(window.BriefingsSearch = window.BriefingsSearch || {});
