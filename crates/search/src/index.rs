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
//! # JSON format (version 3)
//!
//! One object; arrays instead of objects wherever a record repeats, to keep the file small:
//!
//! ```text
//! { "v": 3,
//!   "docs":  [[url, title, module|null, kind], …],          kind: "page", "glossary", …
//!   "secs":  [[doc, anchor, heading], …],                   grouped by doc, in order
//!   "terms": ["entrepris", "factur", …],                    sorted (byte order)
//!   "post":  [[Δsection << 3 | weight, …], …],             one list per term, see below
//!   "title": [[term, [doc, …]], …],                         a doc repeats per occurrence
//!   "forms": [["e", "es", "=autre"], …],                    one list per term, see below
//!   "alias": [["securit", term], …] }                       sorted by alias
//! ```
//!
//! `Δsection` is the section index minus the previous posting's (the first is absolute).
//! A posting whose weight is 1 to 7 (most of them) is the one number `Δsection << 3 | weight`;
//! a heavier one is `Δsection << 3` followed by its weight. Version 1 wrote every posting as
//! two numbers; packing them saves about a third of the postings.
//! A form is the folded word minus its term's leading stem (`factur` + `ation`), or `=` and
//! the whole word when it does not start with the stem; an empty list means the only form is
//! the term itself (numbers, codes).
//!
//! The sections' stored texts ([`Index::texts`], one per section) are not in the JSON: four
//! fifths of the index, they are only read for the excerpts of the dozen hits shown, so the
//! browser keeps them as a plain JavaScript array ([`Index::to_script`]) that it parses
//! natively, and the wasm module parses only the JSON. Version 2 held them in `secs`.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::analyse::{analyse_word, word_runs};
use crate::hash::{FxHashMap, FxHashSet};

/// How many times a heading occurrence of a term outweighs a body occurrence.
pub const HEADING_WEIGHT: u32 = 4;

/// The JSON format version written by [`Index::to_json`] and accepted by [`Index::from_json`].
pub const FORMAT_VERSION: u32 = 3;

/// The global that [`Index::to_script`] sets to the index JSON.
pub const INDEX_VAR: &str = "didactSearchIndex";
/// The global that [`Index::to_script`] sets to the array of stored section texts.
pub const TEXTS_VAR: &str = "didactSearchTexts";

/// A searchable document: a page, a glossary, a quiz….
///
/// Its texts are borrowed or owned ([`Cow`]): the build indexes the course's texts where they
/// are, without copying them (tens of MB at thousands of pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document<'a> {
    /// URL of the page, relative to the site root (`vocabulaire/generalites.html`).
    pub url: Cow<'a, str>,
    /// Title of the document, weighted above headings and text.
    pub title: Cow<'a, str>,
    /// Title of the module the document belongs to, if any.
    pub module: Option<Cow<'a, str>>,
    /// The document's sections, in page order. The first one usually has an empty anchor and
    /// heading: the text before the first heading.
    pub sections: Vec<Section<'a>>,
    /// What kind of document this is.
    pub kind: DocKind,
}

/// A part of a document under one heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section<'a> {
    /// The heading's id, without `#`; empty for the top of the page.
    pub anchor: Cow<'a, str>,
    /// The heading's plain text; empty for the top of the page.
    pub heading: Cow<'a, str>,
    /// The section's plain text (no markup).
    pub text: Cow<'a, str>,
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
    /// The stored text of each section, for excerpts; not in the JSON (see the module docs).
    #[serde(skip)]
    pub(crate) texts: Vec<String>,
    /// Derived when building or loading; not serialised.
    #[serde(skip)]
    pub(crate) lookup: Lookup,
}

/// A document as stored: url, title, module, kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DocEntry(pub String, pub String, pub Option<String>, pub DocKind);

/// A section as stored: document index, anchor, heading (its text is in [`Index::texts`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SectionEntry(pub u32, pub String, pub String);

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
    build(docs, options, Mode::default())
}

/// Whether the builder spreads its work over threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Everything on the calling thread.
    // Only the tests ask for it when the `parallel` feature is on.
    #[cfg_attr(feature = "parallel", allow(dead_code))]
    Serial,
    /// Documents and words analysed on rayon's thread pool (needs the `parallel` feature).
    #[cfg(feature = "parallel")]
    Parallel,
}

impl Default for Mode {
    fn default() -> Self {
        #[cfg(feature = "parallel")]
        return Mode::Parallel;
        #[cfg(not(feature = "parallel"))]
        return Mode::Serial;
    }
}

/// The builder behind [`build_index_with`]; the output does not depend on `mode`.
///
/// 1. Collect the distinct raw words of every text, per document, then merge them.
/// 2. Analyse each distinct word once; sort the distinct terms, which gives the term ids, and
///    record each term's forms and aliases.
/// 3. Per document: title terms, weighted postings per section and the stored text, all by
///    term id, with no string copied per token.
/// 4. Merge the documents in order into per-term postings.
pub(crate) fn build(docs: &[Document], options: &IndexOptions, mode: Mode) -> Index {
    // Step 1: one set per piece of rayon's split of the documents, merged, rather than one
    // per document (tens of MB at thousands of pages).
    let raw_words = fold_items(
        docs,
        mode,
        FxHashSet::<&str>::default,
        |mut res, doc| {
            let texts = std::iter::once(doc.title.as_ref()).chain(
                doc.sections
                    .iter()
                    .flat_map(|section| [section.heading.as_ref(), section.text.as_ref()]),
            );
            for text in texts {
                res.extend(word_runs(text).into_iter().map(|range| &text[range]));
            }
            res
        },
        |a, b| {
            let (mut large, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            large.extend(small);
            large
        },
    );
    // Sorted so that word ids, and everything derived from them, do not depend on hashing.
    let mut raw_words: Vec<&str> = raw_words.into_iter().collect();
    raw_words.sort_unstable();

    // Step 2.
    let infos = map_items(&raw_words, mode, |raw| analyse_word(raw));
    let mut terms: Vec<&str> = infos
        .iter()
        .filter(|info| !info.stop)
        .map(|info| info.term.as_str())
        .collect();
    terms.sort_unstable();
    terms.dedup();
    let term_ids: FxHashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(term_idx, term)| (*term, to_u32(term_idx)))
        .collect();
    let mut forms: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); terms.len()];
    let mut aliases: Vec<(String, u32)> = Vec::new();
    let mut words: FxHashMap<&str, u32> = FxHashMap::default();
    words.reserve(raw_words.len());
    for (raw, info) in raw_words.iter().zip(&infos) {
        if info.stop {
            continue;
        }
        let term = term_ids[info.term.as_str()];
        words.insert(raw, term);
        forms[term as usize].insert(&info.word);
        if info.alias != info.term {
            aliases.push((info.alias.clone(), term));
        }
    }
    aliases.sort_unstable();
    aliases.dedup();
    let vocabulary = Vocabulary { words: &words };

    // Steps 3 and 4, by batches of documents: analysed in parallel, merged in order, so the
    // weights of only one batch are held at a time.
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); terms.len()];
    let mut previous_section: Vec<u32> = vec![0; terms.len()];
    let mut titles: Vec<Vec<u32>> = vec![Vec::new(); terms.len()];
    let mut sections = Vec::new();
    let mut texts = Vec::new();
    let mut doc_entries = Vec::with_capacity(docs.len());
    let batches = docs.chunks(BATCH).map(|batch| {
        let analysed = map_items(batch, mode, |doc| analyse_doc(doc, &vocabulary, options));
        batch.iter().zip(analysed)
    });
    for (doc_idx, (doc, analysed)) in batches.flatten().enumerate() {
        let doc_idx = to_u32(doc_idx);
        for term in analysed.title_terms {
            titles[term as usize].push(doc_idx);
        }
        for (section, (weights, stored)) in doc.sections.iter().zip(analysed.sections) {
            let section_idx = to_u32(sections.len());
            for (term, weight) in weights {
                let term = term as usize;
                push_posting(
                    &mut postings[term],
                    section_idx - previous_section[term],
                    weight,
                );
                previous_section[term] = section_idx;
            }
            sections.push(SectionEntry(
                doc_idx,
                section.anchor.to_string(),
                section.heading.to_string(),
            ));
            texts.push(stored);
        }
        doc_entries.push(DocEntry(
            doc.url.to_string(),
            doc.title.to_string(),
            doc.module.as_deref().map(str::to_owned),
            doc.kind,
        ));
    }
    let title_postings = titles
        .into_iter()
        .enumerate()
        .filter(|(_, docs)| !docs.is_empty())
        .map(|(term_idx, docs)| (to_u32(term_idx), docs))
        .collect();
    let forms = terms
        .iter()
        .zip(&forms)
        .map(|(term, forms)| {
            if forms.len() == 1 && forms.contains(term) {
                return Vec::new();
            }
            forms
                .iter()
                .map(|form| match form.strip_prefix(term) {
                    Some(rest) => rest.to_owned(),
                    None => format!("={form}"),
                })
                .collect()
        })
        .collect();
    let mut res = Index {
        version: FORMAT_VERSION,
        docs: doc_entries,
        sections,
        terms: terms.into_iter().map(str::to_owned).collect(),
        postings,
        title_postings,
        forms,
        aliases,
        texts,
        lookup: Lookup::default(),
    };
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
    /// searching it never panics. It has no stored texts: give them to
    /// [`Index::search_with`], or load them with [`Index::from_json_and_texts`].
    pub fn from_json(json: &str) -> Result<Index, LoadError> {
        let res: Index = serde_json::from_str(json).map_err(LoadError::Json)?;
        res.checked()
    }

    /// An index deserialised by another JSON reader (the browser runtime has its own, smaller
    /// one), checked as [`Index::from_json`] checks it.
    pub fn checked(mut self) -> Result<Index, LoadError> {
        if self.version != FORMAT_VERSION {
            return Err(LoadError::Version {
                found: self.version,
            });
        }
        self.prepare()?;
        Ok(self)
    }

    /// [`Index::from_json`] with the stored texts ([`Index::texts`]) of its sections.
    pub fn from_json_and_texts(json: &str, texts: Vec<String>) -> Result<Index, LoadError> {
        let mut res = Index::from_json(json)?;
        if texts.len() != res.sections.len() {
            return Err(LoadError::Inconsistent("one stored text per section"));
        }
        res.texts = texts;
        Ok(res)
    }

    /// The stored text of every section, in section order (empty when loaded without them).
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// The body of the classic script that ships the index: [`INDEX_VAR`] set to its JSON (a
    /// string, for [`Index::from_json`]) and [`TEXTS_VAR`] to the array of stored texts.
    pub fn to_script(&self) -> String {
        let mut res = Vec::new();
        self.write_script(&mut res)
            .expect("writing to a Vec cannot fail");
        String::from_utf8(res).expect("the script is ASCII")
    }

    /// Writes [`Index::to_script`]'s text to `out` as it is made: the JSON escaped as it is
    /// serialised, then the stored texts piece by piece. At 5 000 pages the script is 30 MB,
    /// which a build writing to a file so never holds whole, nor the JSON.
    pub fn write_script(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        use crate::script::{push_target, write_strings_script, JsStringWriter};
        let mut head = String::new();
        push_target(&mut head, INDEX_VAR);
        head.push_str(" = \"");
        out.write_all(head.as_bytes())?;
        let mut json = std::io::BufWriter::with_capacity(64 * 1024, JsStringWriter::new(&mut *out));
        serde_json::to_writer(&mut json, self)?;
        json.into_inner()
            .map_err(|error| error.into_error())?
            .finish()?;
        out.write_all(b"\";\n")?;
        write_strings_script(out, &self.texts, TEXTS_VAR)
    }

    /// Number of documents in the index.
    pub fn n_docs(&self) -> usize {
        self.docs.len()
    }

    /// Number of sections in the index (and of stored texts).
    pub fn n_sections(&self) -> usize {
        self.sections.len()
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
            let mut section = 0u64;
            let mut values = postings.iter();
            while let Some(&value) = values.next() {
                section += u64::from(value >> WEIGHT_BITS);
                if section >= n_sections as u64 {
                    return Err(Inconsistent("a posting refers to a missing section"));
                }
                if value & WEIGHT_MASK == 0 && values.next().is_none_or(|&weight| weight == 0) {
                    return Err(Inconsistent("a posting lacks its weight"));
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

    /// The (section, weight) postings of a term, decoded (the encoding is checked on load).
    pub(crate) fn postings(&self, term: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut section = 0u32;
        let mut values = self.postings[term as usize].iter();
        std::iter::from_fn(move || {
            let value = *values.next()?;
            section += value >> WEIGHT_BITS;
            let weight = match value & WEIGHT_MASK {
                0 => values.next().copied().unwrap_or(1),
                weight => weight,
            };
            Some((section, weight))
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

/// Maps `f` over `items`, on rayon's pool when `mode` says so; the order of the results is
/// the order of `items` either way.
fn map_items<'a, I, T, F>(items: &'a [I], mode: Mode, f: F) -> Vec<T>
where
    I: Sync,
    T: Send,
    F: Fn(&'a I) -> T + Sync + Send,
{
    match mode {
        Mode::Serial => items.iter().map(f).collect(),
        #[cfg(feature = "parallel")]
        Mode::Parallel => {
            use rayon::prelude::*;
            items.par_iter().map(f).collect()
        }
    }
}

/// `items` folded into one value: by `fold` from `init()` on the calling thread, or in
/// parallel, each piece of rayon's split folded from its own `init()`, the results then
/// combined by `merge`.
fn fold_items<'a, I, A, F, M>(items: &'a [I], mode: Mode, init: fn() -> A, fold: F, merge: M) -> A
where
    I: Sync,
    A: Send,
    F: Fn(A, &'a I) -> A + Sync + Send,
    M: Fn(A, A) -> A + Sync + Send,
{
    match mode {
        Mode::Serial => {
            let _ = &merge;
            items.iter().fold(init(), fold)
        }
        #[cfg(feature = "parallel")]
        Mode::Parallel => {
            use rayon::prelude::*;
            items.par_iter().fold(init, fold).reduce(init, merge)
        }
    }
}

/// Documents analysed at a time when building (step 3): enough to keep the workers busy.
const BATCH: usize = 256;

/// The analysed vocabulary of the course, shared read-only by the document workers.
struct Vocabulary<'a> {
    /// Raw word (as found by `word_runs`) → term id; stop words are absent.
    words: &'a FxHashMap<&'a str, u32>,
}

impl Vocabulary<'_> {
    /// The term ids of the indexed words of `text`, in text order.
    fn terms<'t>(&'t self, text: &'t str) -> impl Iterator<Item = u32> + 't {
        word_runs(text)
            .into_iter()
            .filter_map(|range| self.words.get(&text[range]).copied())
    }
}

/// What step 3 of [`build`] finds in one document.
struct AnalysedDoc {
    /// The term of each indexed word of the title, repeated per occurrence.
    title_terms: Vec<u32>,
    /// Per section: (term, weight) postings, in no particular order, and the stored text.
    sections: Vec<(Vec<(u32, u32)>, String)>,
}

fn analyse_doc(doc: &Document, vocabulary: &Vocabulary, options: &IndexOptions) -> AnalysedDoc {
    let title_terms = vocabulary.terms(&doc.title).collect();
    let sections = doc
        .sections
        .iter()
        .map(|section| {
            let mut weights: FxHashMap<u32, u32> = FxHashMap::default();
            for term in vocabulary.terms(&section.heading) {
                *weights.entry(term).or_default() += HEADING_WEIGHT;
            }
            for term in vocabulary.terms(&section.text) {
                *weights.entry(term).or_default() += 1;
            }
            let stored = stored_text(&section.text, options, vocabulary);
            (weights.into_iter().collect(), stored)
        })
        .collect();
    AnalysedDoc {
        title_terms,
        sections,
    }
}

/// The text kept for a section's excerpts, as described in [`IndexOptions`].
fn stored_text(text: &str, options: &IndexOptions, vocabulary: &Vocabulary) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= options.stored_chars {
        return text;
    }
    let lead_end = cut_at_word(&text, 0, options.lead_chars);
    let pieces = split_pieces(&text, lead_end, MAX_PIECE_CHARS);
    let mut kept_terms: FxHashSet<u32> = vocabulary.terms(&text[..lead_end]).collect();
    let piece_terms: Vec<Vec<u32>> = pieces
        .iter()
        .map(|piece| {
            let mut terms: Vec<u32> = vocabulary.terms(&text[piece.clone()]).collect();
            terms.sort_unstable();
            terms.dedup();
            terms
        })
        .collect();
    let piece_chars: Vec<usize> = pieces
        .iter()
        .map(|piece| text[piece.clone()].chars().count())
        .collect();
    let mut budget = options
        .stored_chars
        .saturating_sub(text[..lead_end].chars().count());
    let mut chosen = vec![false; pieces.len()];
    loop {
        let best = (0..pieces.len())
            .filter(|&idx| !chosen[idx])
            .filter(|&idx| piece_chars[idx] + 3 <= budget)
            .map(|idx| {
                let n_new = piece_terms[idx]
                    .iter()
                    .filter(|term| !kept_terms.contains(term))
                    .count();
                (n_new, idx)
            })
            .filter(|&(n_new, _)| n_new > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((_, idx)) = best else { break };
        chosen[idx] = true;
        budget -= piece_chars[idx] + 3;
        kept_terms.extend(piece_terms[idx].iter().copied());
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

/// Bits of a packed posting that hold its weight (see the module docs).
const WEIGHT_BITS: u32 = 3;
const WEIGHT_MASK: u32 = (1 << WEIGHT_BITS) - 1;

/// Appends one posting to a term's list, packed as the module docs describe.
fn push_posting(postings: &mut Vec<u32>, delta: u32, weight: u32) {
    let shifted = delta
        .checked_shl(WEIGHT_BITS)
        .filter(|shifted| shifted >> WEIGHT_BITS == delta)
        .expect("an index holds fewer than 2^29 sections");
    if (1..=WEIGHT_MASK).contains(&weight) {
        postings.push(shifted | weight);
    } else {
        postings.push(shifted);
        postings.push(weight);
    }
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
