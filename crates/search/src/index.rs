//! The index: built natively from the course's documents, serialised to compact JSON, loaded
//! and queried in the browser.
//!
//! Building goes in four steps:
//! 1. analyse every title, heading and section text (with a per-word cache, since a course
//!    repeats its vocabulary);
//! 2. post each term to the sections where it occurs, weighted by field (a heading occurrence
//!    counts [`HEADING_WEIGHT`] times a body one), and to the documents whose title holds it;
//! 3. record each term's surface forms (for prefix search) and aliases (for unaccented
//!    queries, see `crate::analyse`);
//! 4. keep a bounded excerpt store per section (see [`IndexOptions`]).
//!
//! # JSON format (version 1)
//!
//! One object; arrays instead of objects wherever a record repeats, to keep the file small:
//!
//! ```text
//! { "v": 1,
//!   "docs":  [[url, title, module|null, kind], …],          kind: "page", "glossary", …
//!   "secs":  [[doc, anchor, heading, stored_text], …],      grouped by doc, in order
//!   "terms": ["entrepris", "factur", …],                    sorted (byte order)
//!   "post":  [[Δsection, weight, Δsection, weight, …], …],  one list per term
//!   "title": [[term, [doc, …]], …],                         a doc repeats per occurrence
//!   "forms": [["e", "es", "=autre"], …],                    one list per term, see below
//!   "alias": [["securit", term], …] }                       sorted by alias
//! ```
//!
//! `Δsection` is the section index minus the previous posting's (the first is absolute).
//! A form is the folded word minus its term's leading stem (`factur` + `ation`), or `=` and
//! the whole word when it does not start with the stem; an empty list means the only form is
//! the term itself (numbers, codes).

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::analyse::{analyse_word, word_runs, WordInfo};

/// How many times a heading occurrence of a term outweighs a body occurrence.
pub const HEADING_WEIGHT: u32 = 4;

/// The JSON format version written by [`Index::to_json`] and accepted by [`Index::from_json`].
pub const FORMAT_VERSION: u32 = 1;

/// A searchable document: a page, a glossary, a quiz….
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// URL of the page, relative to the site root (`vocabulaire/generalites.html`).
    pub url: String,
    /// Title of the document, weighted above headings and text.
    pub title: String,
    /// Title of the module the document belongs to, if any.
    pub module: Option<String>,
    /// The document's sections, in page order. The first one usually has an empty anchor and
    /// heading: the text before the first heading.
    pub sections: Vec<Section>,
    /// What kind of document this is.
    pub kind: DocKind,
}

/// A part of a document under one heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The heading's id, without `#`; empty for the top of the page.
    pub anchor: String,
    /// The heading's plain text; empty for the top of the page.
    pub heading: String,
    /// The section's plain text (no markup).
    pub text: String,
}

/// What kind of document a search hit leads to, so the results can label it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// An ordinary course page.
    Page,
    /// A module's own page (its `index.md`).
    Module,
    /// The glossary, or a glossary entry.
    Glossary,
    /// A quiz.
    Quiz,
    /// A simulator exercise.
    Exercise,
}

/// Trade-offs of the excerpt store.
///
/// Excerpts are built in the browser from the text kept per section, so the index does not
/// carry whole pages. A section whose text fits in `stored_chars` is kept whole. A longer one
/// keeps its first `lead_chars` (the excerpt shown when the match is in a title or heading),
/// then, within the remaining budget, the sentences that bring the most terms not yet kept,
/// joined in page order with ` … ` where text was left out. Most terms of a section therefore
/// have an occurrence to show and highlight; a term only present in left-out sentences still
/// finds the section, whose excerpt is then the lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Budget of characters kept per section.
    pub stored_chars: usize,
    /// Characters always kept from the start of a section.
    pub lead_chars: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            stored_chars: 600,
            lead_chars: 240,
        }
    }
}

/// A search index: build it with [`build_index`], ship it with [`Index::to_json`], load it
/// with [`Index::from_json`] and query it with [`Index::search`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Index {
    #[serde(rename = "v")]
    pub(crate) version: u32,
    pub(crate) docs: Vec<DocEntry>,
    #[serde(rename = "secs")]
    pub(crate) sections: Vec<SectionEntry>,
    pub(crate) terms: Vec<String>,
    #[serde(rename = "post")]
    pub(crate) postings: Vec<Vec<u32>>,
    #[serde(rename = "title")]
    pub(crate) title_postings: Vec<(u32, Vec<u32>)>,
    pub(crate) forms: Vec<Vec<String>>,
    #[serde(rename = "alias")]
    pub(crate) aliases: Vec<(String, u32)>,
    /// Derived when building or loading; not serialised.
    #[serde(skip)]
    pub(crate) lookup: Lookup,
}

/// A document as stored: url, title, module, kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DocEntry(pub String, pub String, pub Option<String>, pub DocKind);

/// A section as stored: document index, anchor, heading, stored text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SectionEntry(pub u32, pub String, pub String, pub String);

/// Tables derived from the serialised fields to answer queries quickly.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lookup {
    /// Every folded surface form with its term, sorted, for exact and prefix look-ups.
    pub words: Vec<(String, u32)>,
    /// The sections of each document.
    pub doc_sections: Vec<Range<u32>>,
}

/// Why an index could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The text is not the JSON of an index.
    Json(serde_json::Error),
    /// The index was written in another format version.
    Version {
        /// The version found in the index.
        found: u32,
    },
    /// The index refers to a document, section or term it does not have.
    Inconsistent(&'static str),
}

/// Builds the index of `docs` with the default [`IndexOptions`].
pub fn build_index(docs: &[Document]) -> Index {
    build_index_with(docs, &IndexOptions::default())
}

/// Builds the index of `docs`, keeping section text as `options` says.
pub fn build_index_with(docs: &[Document], options: &IndexOptions) -> Index {
    let mut builder = Builder::default();
    let mut sections = Vec::new();
    for (doc_idx, doc) in docs.iter().enumerate() {
        let doc_idx = to_u32(doc_idx);
        for info in builder.analyse(&doc.title) {
            builder.term(&info).titles.push(doc_idx);
        }
        for section in &doc.sections {
            let section_idx = to_u32(sections.len());
            let mut weights: HashMap<&str, u32> = HashMap::new();
            let heading = builder.analyse(&section.heading);
            let body = builder.analyse(&section.text);
            for info in &heading {
                *weights.entry(&info.term).or_default() += HEADING_WEIGHT;
            }
            for info in &body {
                *weights.entry(&info.term).or_default() += 1;
            }
            for info in heading.iter().chain(&body) {
                if let Some(weight) = weights.remove(info.term.as_str()) {
                    builder.term(info).postings.push((section_idx, weight));
                }
            }
            let stored = stored_text(&section.text, options, &mut builder);
            sections.push(SectionEntry(
                doc_idx,
                section.anchor.clone(),
                section.heading.clone(),
                stored,
            ));
        }
    }
    let docs = docs
        .iter()
        .map(|doc| {
            DocEntry(
                doc.url.clone(),
                doc.title.clone(),
                doc.module.clone(),
                doc.kind,
            )
        })
        .collect();
    let mut res = builder.finish(docs, sections);
    res.prepare()
        .expect("a freshly built index refers only to its own entries");
    res
}

impl Index {
    /// Serialises the index to compact JSON (the format is described in the module docs).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an index holds only strings and integers")
    }

    /// Loads an index written by [`Index::to_json`], checking that it is consistent so that
    /// searching it never panics.
    pub fn from_json(json: &str) -> Result<Index, LoadError> {
        let mut res: Index = serde_json::from_str(json).map_err(LoadError::Json)?;
        if res.version != FORMAT_VERSION {
            return Err(LoadError::Version { found: res.version });
        }
        res.prepare()?;
        Ok(res)
    }

    /// Number of documents in the index.
    pub fn n_docs(&self) -> usize {
        self.docs.len()
    }

    /// Number of distinct terms in the index.
    pub fn n_terms(&self) -> usize {
        self.terms.len()
    }

    /// Checks the cross references and derives the look-up tables.
    fn prepare(&mut self) -> Result<(), LoadError> {
        use LoadError::Inconsistent;
        let n_docs = self.docs.len();
        let n_sections = self.sections.len();
        let n_terms = self.terms.len();
        if self.postings.len() != n_terms || self.forms.len() != n_terms {
            return Err(Inconsistent("one posting list and one form list per term"));
        }
        if self.terms.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(Inconsistent("terms must be sorted and distinct"));
        }
        let mut doc_sections = vec![0..0; n_docs];
        let mut previous_doc = 0;
        for (section_idx, section) in self.sections.iter().enumerate() {
            let doc = section.0 as usize;
            if doc >= n_docs || doc < previous_doc {
                return Err(Inconsistent("sections must refer to documents in order"));
            }
            previous_doc = doc;
            let range = &mut doc_sections[doc];
            if range.start == range.end {
                *range = to_u32(section_idx)..to_u32(section_idx);
            }
            range.end = to_u32(section_idx) + 1;
        }
        for postings in &self.postings {
            if postings.len() % 2 != 0 {
                return Err(Inconsistent("postings come in (section, weight) pairs"));
            }
            let mut section = 0u64;
            for pair in postings.chunks_exact(2) {
                section += u64::from(pair[0]);
                if section >= n_sections as u64 {
                    return Err(Inconsistent("a posting refers to a missing section"));
                }
            }
        }
        for (term, docs) in &self.title_postings {
            if *term as usize >= n_terms || docs.iter().any(|&doc| doc as usize >= n_docs) {
                return Err(Inconsistent("a title posting refers to a missing entry"));
            }
        }
        if self
            .aliases
            .iter()
            .any(|(_, term)| *term as usize >= n_terms)
            || self.aliases.windows(2).any(|pair| pair[0].0 > pair[1].0)
        {
            return Err(Inconsistent("aliases must be sorted and refer to terms"));
        }
        if self
            .title_postings
            .windows(2)
            .any(|pair| pair[0].0 >= pair[1].0)
        {
            return Err(Inconsistent("title postings must be sorted by term"));
        }
        let mut words = Vec::new();
        for (term_idx, (term, forms)) in self.terms.iter().zip(&self.forms).enumerate() {
            let term_idx = to_u32(term_idx);
            if forms.is_empty() {
                words.push((term.clone(), term_idx));
            }
            for form in forms {
                let word = match form.strip_prefix('=') {
                    Some(whole) => whole.to_owned(),
                    None => format!("{term}{form}"),
                };
                words.push((word, term_idx));
            }
        }
        words.sort_unstable();
        self.lookup = Lookup {
            words,
            doc_sections,
        };
        Ok(())
    }

    /// The id of `term`, if indexed.
    pub(crate) fn term_id(&self, term: &str) -> Option<u32> {
        self.terms
            .binary_search_by(|probe| probe.as_str().cmp(term))
            .ok()
            .map(to_u32)
    }

    /// The terms whose aliases equal `alias`.
    pub(crate) fn alias_terms<'a>(&'a self, alias: &'a str) -> impl Iterator<Item = u32> + 'a {
        let start = self
            .aliases
            .partition_point(|(probe, _)| probe.as_str() < alias);
        self.aliases[start..]
            .iter()
            .take_while(move |(probe, _)| probe == alias)
            .map(|(_, term)| *term)
    }

    /// The terms of the surface forms starting with `prefix`, in form order.
    pub(crate) fn prefix_terms<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = u32> + 'a {
        let words = &self.lookup.words;
        let start = words.partition_point(|(word, _)| word.as_str() < prefix);
        words[start..]
            .iter()
            .take_while(move |(word, _)| word.starts_with(prefix))
            .map(|(_, term)| *term)
    }

    /// The terms of the surface form `word`.
    pub(crate) fn form_terms<'a>(&'a self, word: &'a str) -> impl Iterator<Item = u32> + 'a {
        let words = &self.lookup.words;
        let start = words.partition_point(|(probe, _)| probe.as_str() < word);
        words[start..]
            .iter()
            .take_while(move |(form, _)| form == word)
            .map(|(_, term)| *term)
    }

    /// The (section, weight) postings of a term, decoded.
    pub(crate) fn postings(&self, term: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut section = 0u32;
        self.postings[term as usize]
            .chunks_exact(2)
            .map(move |pair| {
                section += pair[0];
                (section, pair[1])
            })
    }

    /// The documents whose title holds a term, once per occurrence.
    pub(crate) fn title_docs(&self, term: u32) -> &[u32] {
        match self
            .title_postings
            .binary_search_by_key(&term, |(probe, _)| *probe)
        {
            Ok(idx) => &self.title_postings[idx].1,
            Err(_) => &[],
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Json(err) => write!(f, "the search index is not valid JSON: {err}"),
            LoadError::Version { found } => write!(
                f,
                "the search index has format version {found}, expected {FORMAT_VERSION}"
            ),
            LoadError::Inconsistent(what) => {
                write!(f, "the search index is inconsistent: {what}")
            }
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Json(err) => Some(err),
            _ => None,
        }
    }
}

/// What the builder collects for one term.
#[derive(Default)]
struct TermEntry {
    postings: Vec<(u32, u32)>,
    titles: Vec<u32>,
    forms: BTreeSet<String>,
    aliases: BTreeSet<String>,
}

#[derive(Default)]
struct Builder {
    /// Analysis of each distinct raw word seen.
    cache: HashMap<String, WordInfo>,
    terms: HashMap<String, TermEntry>,
}

impl Builder {
    /// The indexed words of `text`, analysed through the cache.
    fn analyse(&mut self, text: &str) -> Vec<WordInfo> {
        let mut res = Vec::new();
        for range in word_runs(text) {
            let raw = &text[range];
            let info = match self.cache.get(raw) {
                Some(info) => info,
                None => self
                    .cache
                    .entry(raw.to_owned())
                    .or_insert_with(|| analyse_word(raw)),
            };
            if !info.stop {
                res.push(info.clone());
            }
        }
        res
    }

    /// The entry of a word's term, recording the word's form and alias.
    fn term(&mut self, info: &WordInfo) -> &mut TermEntry {
        let entry = self.terms.entry(info.term.clone()).or_default();
        if !entry.forms.contains(&info.word) {
            entry.forms.insert(info.word.clone());
        }
        if info.alias != info.term && !entry.aliases.contains(&info.alias) {
            entry.aliases.insert(info.alias.clone());
        }
        entry
    }

    fn finish(self, docs: Vec<DocEntry>, sections: Vec<SectionEntry>) -> Index {
        let mut entries: Vec<(String, TermEntry)> = self.terms.into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut res = Index {
            version: FORMAT_VERSION,
            docs,
            sections,
            ..Index::default()
        };
        for (term_idx, (term, entry)) in entries.into_iter().enumerate() {
            let term_idx = to_u32(term_idx);
            let mut previous = 0;
            let mut postings = Vec::with_capacity(entry.postings.len() * 2);
            for (section, weight) in entry.postings {
                postings.push(section - previous);
                postings.push(weight);
                previous = section;
            }
            res.postings.push(postings);
            if !entry.titles.is_empty() {
                res.title_postings.push((term_idx, entry.titles));
            }
            let only_itself = entry.forms.len() == 1 && entry.forms.contains(&term);
            let forms = if only_itself {
                Vec::new()
            } else {
                entry
                    .forms
                    .iter()
                    .map(|form| match form.strip_prefix(term.as_str()) {
                        Some(rest) => rest.to_owned(),
                        None => format!("={form}"),
                    })
                    .collect()
            };
            res.forms.push(forms);
            res.aliases
                .extend(entry.aliases.into_iter().map(|alias| (alias, term_idx)));
            res.terms.push(term);
        }
        res.aliases.sort_unstable();
        res
    }
}

/// The text kept for a section's excerpts, as described in [`IndexOptions`].
fn stored_text(text: &str, options: &IndexOptions, builder: &mut Builder) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= options.stored_chars {
        return text;
    }
    let lead_end = cut_at_word(&text, 0, options.lead_chars);
    let pieces = split_pieces(&text, lead_end, MAX_PIECE_CHARS);
    let mut kept_terms: BTreeSet<String> = builder
        .analyse(&text[..lead_end])
        .into_iter()
        .map(|info| info.term)
        .collect();
    let piece_terms: Vec<BTreeSet<String>> = pieces
        .iter()
        .map(|piece| {
            builder
                .analyse(&text[piece.clone()])
                .into_iter()
                .map(|info| info.term)
                .collect()
        })
        .collect();
    let mut budget = options
        .stored_chars
        .saturating_sub(text[..lead_end].chars().count());
    let mut chosen = vec![false; pieces.len()];
    loop {
        let best = (0..pieces.len())
            .filter(|&idx| !chosen[idx])
            .filter(|&idx| text[pieces[idx].clone()].chars().count() + 3 <= budget)
            .map(|idx| (piece_terms[idx].difference(&kept_terms).count(), idx))
            .filter(|&(n_new, _)| n_new > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((_, idx)) = best else { break };
        chosen[idx] = true;
        budget -= text[pieces[idx].clone()].chars().count() + 3;
        kept_terms.extend(piece_terms[idx].iter().cloned());
    }
    let mut res = text[..lead_end].to_owned();
    let mut previous_kept = true;
    for (idx, piece) in pieces.iter().enumerate() {
        if chosen[idx] {
            res.push_str(if previous_kept { " " } else { " … " });
            res.push_str(&text[piece.clone()]);
        }
        previous_kept = chosen[idx];
    }
    if !previous_kept {
        res.push_str(" …");
    }
    res
}

/// Longest piece of text the excerpt store keeps or leaves out as a unit.
const MAX_PIECE_CHARS: usize = 160;

/// Byte index at most `max_chars` characters after `start`, moved back to the end of a word
/// (or `text.len()` if the rest fits).
pub(crate) fn cut_at_word(text: &str, start: usize, max_chars: usize) -> usize {
    let rest = &text[start..];
    let Some((limit, _)) = rest.char_indices().nth(max_chars) else {
        return text.len();
    };
    match rest[..limit].rfind(' ') {
        Some(space) if space > 0 => start + space,
        _ => start + limit,
    }
}

/// Splits `text[start..]` (single-spaced) into sentences of at most `max_chars` characters,
/// without the spaces between them.
fn split_pieces(text: &str, start: usize, max_chars: usize) -> Vec<Range<usize>> {
    let mut res = Vec::new();
    let mut piece_start = start;
    loop {
        while text[piece_start..].starts_with(' ') {
            piece_start += 1;
        }
        if piece_start >= text.len() {
            return res;
        }
        // A sentence ends after its punctuation when a space follows; both ends are > start.
        let sentence_end = text[piece_start..]
            .char_indices()
            .find(|&(offset, c)| {
                matches!(c, '.' | '!' | '?' | ';' | '…')
                    && text[piece_start + offset + c.len_utf8()..].starts_with(' ')
            })
            .map_or(text.len(), |(offset, c)| {
                piece_start + offset + c.len_utf8()
            });
        let end = sentence_end.min(cut_at_word(text, piece_start, max_chars));
        res.push(piece_start..end);
        piece_start = end;
    }
}

pub(crate) fn to_u32(value: usize) -> u32 {
    u32::try_from(value).expect("an index holds fewer than 2^32 documents, sections and terms")
}
