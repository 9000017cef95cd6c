//! Answering a query, in the browser or natively.
//!
//! 1. Analyse the query like the indexed text. Each remaining word becomes a *query word*:
//!    the set of terms it matches — its term, the terms it is an alias of, the term of the
//!    identical surface form, and, for the last word when the query does not end with a
//!    separator (the learner is still typing it), the terms of every form it is a prefix of
//!    (`factu` → `facture`). Prefix-only matches count [`PREFIX_FACTOR`] of an exact one.
//! 2. A document matches when every query word matches it (title, a heading or a text).
//!    A stop word still being typed (`dé` before `dématérialisation`) is an optional query
//!    word: it ranks but does not filter, unless it is the only word.
//! 3. Score: for each query word, the field-weighted term frequency in the document (a title
//!    occurrence counts [`TITLE_WEIGHT`], a heading one [`crate::HEADING_WEIGHT`], a body one
//!    counts one) times the term's idf, summed over the word's terms, then dampened with
//!    `ln(1 + x)` and summed over the words.
//! 4. For each of the best `limit` documents, pick the section that matches the most query
//!    words (then the highest score, then the first) and cut an excerpt of its stored text
//!    around the window holding the most distinct query words.

use std::collections::HashMap;

use serde::Serialize;

use crate::analyse::{analyse_word, word_runs};
use crate::index::{cut_at_word, DocKind, Index};

/// How much a title occurrence of a term weighs, against 1 for a body occurrence.
pub const TITLE_WEIGHT: u32 = 8;

/// The share of the score a term gets when it only matches as a prefix of the last word.
pub const PREFIX_FACTOR: f32 = 0.6;

/// One search result: the best section of a matching document.
///
/// All highlight ranges are byte ranges `(start, end)` into the string they belong to, sorted
/// and disjoint; turn them into UTF-16 offsets for JavaScript with [`utf16_ranges`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// URL of the document, relative to the site root.
    pub url: String,
    /// Title of the document.
    pub title: String,
    /// Title of the document's module, if any.
    pub module: Option<String>,
    /// What kind of document this is.
    pub kind: DocKind,
    /// Heading of the best section; empty for the top of the page.
    pub section_heading: String,
    /// Anchor of the best section, without `#`; empty for the top of the page.
    pub anchor: String,
    /// Plain text around the matches, with `…` where it was cut.
    pub excerpt: String,
    /// Byte ranges of the matched words in `excerpt`.
    pub highlights: Vec<(usize, usize)>,
    /// Byte ranges of the matched words in `title`.
    pub title_highlights: Vec<(usize, usize)>,
    /// Byte ranges of the matched words in `section_heading`.
    pub heading_highlights: Vec<(usize, usize)>,
}

/// Converts byte ranges in `text` into UTF-16 code unit ranges, the offsets JavaScript
/// strings use. Ranges must lie on character boundaries.
pub fn utf16_ranges(text: &str, byte_ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let utf16_offset = |byte: usize| text[..byte].chars().map(char::len_utf16).sum::<usize>();
    byte_ranges
        .iter()
        .map(|&(start, end)| (utf16_offset(start), utf16_offset(end)))
        .collect()
}

impl Index {
    /// The best `limit` hits for `query`, best first; at most one per document.
    ///
    /// ```
    /// use didact_search::{build_index, DocKind, Document, Section};
    /// let doc = Document {
    ///     url: "depot.html".into(),
    ///     title: "Déposer une facture".into(),
    ///     module: None,
    ///     kind: DocKind::Page,
    ///     sections: vec![Section {
    ///         anchor: "".into(),
    ///         heading: "".into(),
    ///         text: "Le fournisseur dépose ses factures.".into(),
    ///     }],
    /// };
    /// let index = build_index(&[doc]);
    /// let hits = index.search("deposer factu", 10);
    /// assert_eq!(hits[0].url, "depot.html");
    /// assert_eq!(hits[0].excerpt, "Le fournisseur dépose ses factures.");
    /// ```
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.search_with(query, limit, |section| self.texts.get(section).cloned())
    }

    /// [`Index::search`], reading the stored text of a section with `text` (by section
    /// index) for the excerpts of the hits only: the browser keeps the texts outside the
    /// parsed index (see [`crate::Index::to_script`]). A missing text gives an empty excerpt.
    pub fn search_with(
        &self,
        query: &str,
        limit: usize,
        text: impl Fn(usize) -> Option<String>,
    ) -> Vec<Hit> {
        let words = self.query_words(query);
        if words.is_empty() || limit == 0 {
            return Vec::new();
        }
        let n_docs = self.docs.len();
        let n_sections = self.sections.len();
        let mut doc_scores = vec![0f32; n_docs];
        let mut doc_matches = vec![true; n_docs];
        let mut section_acc = Vec::with_capacity(words.len());
        for word in &words {
            let (doc_acc, sections) = self.accumulate(word, n_docs, n_sections);
            for (doc, acc) in doc_acc.iter().enumerate() {
                if *acc > 0.0 {
                    doc_scores[doc] += acc.ln_1p();
                } else if word.required {
                    doc_matches[doc] = false;
                }
            }
            section_acc.push(sections);
        }
        let mut ranked: Vec<(f32, usize)> = (0..n_docs)
            .filter(|&doc| doc_matches[doc] && doc_scores[doc] > 0.0)
            .map(|doc| (doc_scores[doc], doc))
            .collect();
        ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.truncate(limit);
        let matcher = Matcher::new(self, &words);
        ranked
            .into_iter()
            .map(|(_, doc)| self.hit(doc, &section_acc, &matcher, &text))
            .collect()
    }

    /// Step 1: the query words of `query`.
    fn query_words(&self, query: &str) -> Vec<QueryWord> {
        let runs = word_runs(query);
        let still_typing = runs.last().is_some_and(|run| run.end == query.len());
        let mut res = Vec::new();
        for (run_idx, run) in runs.iter().enumerate() {
            let info = analyse_word(&query[run.clone()]);
            let is_prefix = still_typing && run_idx + 1 == runs.len();
            if info.stop && !(is_prefix && info.word.chars().count() >= 2) {
                continue;
            }
            let mut terms: HashMap<u32, f32> = HashMap::new();
            if !info.stop {
                let exact = [&info.term, &info.alias, &info.word]
                    .into_iter()
                    .filter_map(|term| self.term_id(term))
                    .chain(self.alias_terms(&info.alias))
                    .chain(self.alias_terms(&info.term))
                    .chain(self.form_terms(&info.word));
                for term in exact {
                    terms.insert(term, 1.0);
                }
            }
            if is_prefix && info.word.chars().count() >= MIN_PREFIX_CHARS {
                for term in self.prefix_terms(&info.word).take(MAX_PREFIX_TERMS) {
                    terms.entry(term).or_insert(PREFIX_FACTOR);
                }
            }
            // Sorted so that scores are summed in the same order on every run.
            let mut terms: Vec<(u32, f32)> = terms.into_iter().collect();
            terms.sort_unstable_by_key(|&(term, _)| term);
            res.push(QueryWord {
                terms,
                prefix: is_prefix.then(|| info.word.clone()),
                required: !info.stop,
            });
        }
        if res.iter().all(|word| !word.required) {
            for word in &mut res {
                word.required = true;
            }
        }
        res
    }

    /// Step 3 for one query word: its weighted score per document and per section.
    fn accumulate(
        &self,
        word: &QueryWord,
        n_docs: usize,
        n_sections: usize,
    ) -> (Vec<f32>, Vec<f32>) {
        let mut doc_acc = vec![0f32; n_docs];
        let mut section_acc = vec![0f32; n_sections];
        for &(term, factor) in &word.terms {
            let title_docs = self.title_docs(term);
            let mut n_term_docs = 0usize;
            let mut last_doc = None;
            for (section, _) in self.postings(term) {
                let doc = self.sections[section as usize].0;
                if last_doc != Some(doc) {
                    n_term_docs += 1;
                    last_doc = Some(doc);
                }
            }
            let n_term_docs = n_term_docs.max(title_docs.len()).max(1);
            let idf = (1.0 + n_docs as f32 / n_term_docs as f32).ln();
            let scale = factor * idf;
            for (section, weight) in self.postings(term) {
                let value = scale * weight as f32;
                section_acc[section as usize] += value;
                doc_acc[self.sections[section as usize].0 as usize] += value;
            }
            for &doc in title_docs {
                doc_acc[doc as usize] += scale * TITLE_WEIGHT as f32;
            }
        }
        (doc_acc, section_acc)
    }

    /// Step 4: the hit for a matching document.
    fn hit(
        &self,
        doc: usize,
        section_acc: &[Vec<f32>],
        matcher: &Matcher,
        text: &impl Fn(usize) -> Option<String>,
    ) -> Hit {
        let entry = &self.docs[doc];
        let best_section = self.lookup.doc_sections[doc]
            .clone()
            .map(|section| {
                let accs = section_acc.iter().map(|acc| acc[section as usize]);
                let n_words = accs.clone().filter(|acc| *acc > 0.0).count();
                let score: f32 = accs.map(f32::ln_1p).sum();
                (n_words, score, section)
            })
            .reduce(|best, next| {
                let better = (next.0, next.1).partial_cmp(&(best.0, best.1));
                if better == Some(std::cmp::Ordering::Greater) {
                    next
                } else {
                    best
                }
            });
        let (anchor, heading, excerpt, highlights) = match best_section {
            Some((_, _, section)) => {
                let stored = text(section as usize).unwrap_or_default();
                let section = &self.sections[section as usize];
                let (excerpt, highlights) = excerpt(&stored, matcher);
                (section.1.clone(), section.2.clone(), excerpt, highlights)
            }
            None => Default::default(),
        };
        Hit {
            url: entry.0.clone(),
            title: entry.1.clone(),
            module: entry.2.clone(),
            kind: entry.3,
            title_highlights: matcher.matches(&entry.1).map(|m| m.range).collect(),
            heading_highlights: matcher.matches(&heading).map(|m| m.range).collect(),
            section_heading: heading,
            anchor,
            excerpt,
            highlights,
        }
    }
}

/// A word of the query with the terms it matches and their factors.
struct QueryWord {
    terms: Vec<(u32, f32)>,
    /// The folded word, when it is matched as a prefix.
    prefix: Option<String>,
    required: bool,
}

/// Shortest last word that is matched as a prefix.
const MIN_PREFIX_CHARS: usize = 2;

/// Most forms a prefix expands to; a longer prefix narrows it.
const MAX_PREFIX_TERMS: usize = 200;

/// Target length of an excerpt, in characters (the window choice counts bytes, which is
/// close enough for French text).
const EXCERPT_CHARS: usize = 200;

/// How much text an excerpt shows before its first match, in bytes.
const EXCERPT_CONTEXT_CHARS: usize = 50;

/// Finds the words of a text that match the query, for highlighting.
struct Matcher<'a> {
    /// Term → bit set of the query words it matches.
    terms: HashMap<&'a str, u64>,
    /// Prefix of the last query word, with its bit.
    prefix: Option<(&'a str, u64)>,
}

/// A matching word: its byte range and the query words it matches.
struct Match {
    range: (usize, usize),
    words: u64,
}

impl<'a> Matcher<'a> {
    fn new(index: &'a Index, words: &'a [QueryWord]) -> Self {
        let mut terms: HashMap<&str, u64> = HashMap::new();
        let mut prefix = None;
        for (word_idx, word) in words.iter().enumerate() {
            let bit = 1u64 << (word_idx % 64);
            for &(term, _) in &word.terms {
                *terms
                    .entry(index.terms[term as usize].as_str())
                    .or_default() |= bit;
            }
            if let Some(word_prefix) = &word.prefix {
                prefix = Some((word_prefix.as_str(), bit));
            }
        }
        Matcher { terms, prefix }
    }

    fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Match> + 't {
        word_runs(text).into_iter().filter_map(move |range| {
            let info = analyse_word(&text[range.clone()]);
            let mut words = if info.stop {
                0
            } else {
                self.terms.get(info.term.as_str()).copied().unwrap_or(0)
            };
            if let Some((prefix, bit)) = self.prefix {
                if info.word.starts_with(prefix) {
                    words |= bit;
                }
            }
            (words != 0).then_some(Match {
                range: (range.start, range.end),
                words,
            })
        })
    }
}

/// The excerpt of a stored section text and its highlights (step 4).
fn excerpt(text: &str, matcher: &Matcher) -> (String, Vec<(usize, usize)>) {
    let matches: Vec<Match> = matcher.matches(text).collect();
    // The window start (a match) whose window covers the most distinct query words.
    let best_first = (0..matches.len()).max_by_key(|&first| {
        let window_end = matches[first].range.0 + EXCERPT_CHARS - EXCERPT_CONTEXT_CHARS;
        let covered = matches[first..]
            .iter()
            .take_while(|m| m.range.1 <= window_end)
            .fold(0u64, |acc, m| acc | m.words);
        (covered.count_ones(), std::cmp::Reverse(first))
    });
    let start = match best_first {
        Some(first) => {
            let match_start = matches[first].range.0;
            let earliest =
                floor_char_boundary(text, match_start.saturating_sub(EXCERPT_CONTEXT_CHARS));
            if earliest == 0 {
                0
            } else {
                text[earliest..match_start]
                    .find(' ')
                    .map_or(match_start, |space| earliest + space + 1)
            }
        }
        None => 0,
    };
    let end = cut_at_word(text, start, EXCERPT_CHARS);
    let mut res = String::with_capacity(end - start + 8);
    if start > 0 {
        res.push('…');
    }
    let offset = res.len();
    res.push_str(&text[start..end]);
    if end < text.len() {
        res.push('…');
    }
    let highlights = matches
        .iter()
        .filter(|m| m.range.0 >= start && m.range.1 <= end)
        .map(|m| (m.range.0 - start + offset, m.range.1 - start + offset))
        .collect();
    (res, highlights)
}

fn floor_char_boundary(text: &str, mut idx: usize) -> usize {
    while !text.is_char_boundary(idx) {
        idx -= 1;
    }
    idx
}
