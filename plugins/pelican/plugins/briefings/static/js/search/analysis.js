/* Briefings search, 1 of 4: text analysis. Must match search.py (prepare) and
 * lunr.py's tokenizer, trimmer, stop words and (stemmer.py) lunr.js's stemmer;
 * the browser tests compare the two on every word of the seeds.
 */
(function (search) {
  "use strict";

  var WORD = "\\p{L}\\p{N}_"; // Python's \w
  var EXTRA_SEPARATORS = /[\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u2010-\u2015\/]/g;
  var APOSTROPHES = /[\u2018\u2019\u02bc\u2032]/g;
  var POSSESSIVE = new RegExp("(?<=[" + WORD + "])'s(?![" + WORD + "])", "giu");
  var SEPARATOR = /[\s\-]+/;
  var TOKEN = /[^\s\-]+/g;
  var TRIM = new RegExp("^[^" + WORD + "]*?([" + WORD + "]+)[^" + WORD + "]*?$", "u");
  var LEADING = new RegExp("^[^" + WORD + "]+", "u");

  /** Same length as ``text`` (one character for one), so offsets still apply. */
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

  /** The words of ``text`` with where they are: [{start, end, term}], ``term``
   * as the index holds it (null for a stop word); start and end in UTF-16
   * units of ``text``, around the word without its punctuation. */
  function spans(text) {
    var found = [], prepared = prepare(text), match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(prepared))) {
      var token = match[0], word = trim(token.toLowerCase());
      var trimmed = TRIM.exec(token), start = match.index, end = start + token.length;
      if (trimmed) {
        start += token.length - token.replace(LEADING, "").length;
        end = start + trimmed[1].length;
      }
      found.push({ start: start, end: end, term: word && !isStopWord(word) ? stem(word) : null });
    }
    return found;
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

  /** Whether an index term answers a query word: its stem, or (for a word of
   * two letters or more) a term it starts, as the query's two clauses ask. */
  function answers(term, word) {
    return term === word.stem || (word.text.length > 1 && term.startsWith(word.text));
  }

  search.prepare = prepare;
  search.tokens = tokens;
  search.analyse = analyse;
  search.spans = spans;
  search.queryWords = queryWords;
  search.answers = answers;
})(window.BriefingsSearch = window.BriefingsSearch || {});
