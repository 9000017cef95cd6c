//! The search box: answers each keystroke with `didact_search` and lists the hits.
//!
//! 1. The glue loads `assets/search-index.js` (a classic script, so it works from `file://`)
//!    when the page is idle after loading, or when the box gets the focus if that comes
//!    first; it sets `window.didactSearchIndex` (the index JSON) and `window.didactSearchTexts`
//!    (the sections' stored texts, left to the JavaScript engine) and calls
//!    [`search_prepare`], which parses the JSON once, so the first keystroke does not pay for
//!    it.
//! 2. [`search_show`] runs the query on the parsed index and replaces the children of the
//!    `[data-search-results]` list with one link per hit: title, module › section, and an
//!    excerpt, matched words in `<mark>`. `[data-search-status]` (a live region) says how
//!    many results there are.
//!
//! Learner text (the query) and course text only reach the page as text nodes.

use std::cell::RefCell;

use didact_search::{Hit, Index, INDEX_VAR, TEXTS_VAR};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

/// Results shown at most.
const MAX_HITS: usize = 12;

/// The parsed index and the page's array of stored section texts, which stays a JavaScript
/// array: a text is copied into the module only for a hit's excerpt.
struct Loaded {
    index: Index,
    texts: js_sys::Array,
}

thread_local! {
    static INDEX: RefCell<Option<Loaded>> = const { RefCell::new(None) };
}

/// Parses the index loaded by `assets/search-index.js`, once; later calls do nothing. Fails
/// when the index script is not loaded yet or cannot be read.
#[wasm_bindgen]
pub fn search_prepare() -> Result<(), JsValue> {
    INDEX.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(load_index()?);
        }
        Ok(())
    })
}

/// The `limit` best hits for `query`, parsing the index first if needed (for the search box
/// and the simulator's assistant, which share one parsed index).
pub fn search(query: &str, limit: usize) -> Result<Vec<Hit>, JsValue> {
    search_prepare()?;
    Ok(INDEX.with(|cell| {
        let slot = cell.borrow();
        let loaded = slot.as_ref().expect("search_prepare stored the index");
        loaded.index.search_with(query, limit, |section| {
            u32::try_from(section)
                .ok()
                .and_then(|section| loaded.texts.get(section).as_string())
        })
    }))
}

/// Runs `query` and shows its hits in the page; returns the number of hits. Fails when the
/// index script is not loaded yet or cannot be read.
#[wasm_bindgen]
pub fn search_show(query: &str) -> Result<usize, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let document = window
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let hits = search(query, MAX_HITS)?;
    let root = document
        .body()
        .and_then(|body| body.get_attribute("data-root"))
        .unwrap_or_default();
    if let Some(list) = document.query_selector("[data-search-results]")? {
        list.set_text_content(None);
        for hit in &hits {
            list.append_child(&hit_element(&document, hit, &root)?.into())?;
        }
    }
    if let Some(status) = document.query_selector("[data-search-status]")? {
        let query = query.trim();
        let text = match hits.len() {
            _ if query.is_empty() => String::new(),
            0 => format!("Aucun résultat pour « {query} »."),
            1 => format!("1 résultat pour « {query} »."),
            n if n == MAX_HITS => format!("Les {n} meilleurs résultats pour « {query} »."),
            n => format!("{n} résultats pour « {query} »."),
        };
        status.set_text_content(Some(&text));
    }
    Ok(hits.len())
}

/// Reads and parses `window.didactSearchIndex`, and keeps `window.didactSearchTexts`.
fn load_index() -> Result<Loaded, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let json = js_sys::Reflect::get(&window, &JsValue::from_str(INDEX_VAR))?
        .as_string()
        .ok_or_else(|| JsValue::from_str("the search index is not loaded"))?;
    let index = crate::json::from_str::<Index>(&json)
        .map_err(|error| error.to_string())
        .and_then(|index| index.checked().map_err(|error| error.to_string()))
        .map_err(|error| JsValue::from_str(&format!("the search index cannot be read: {error}")))?;
    let texts: js_sys::Array = js_sys::Reflect::get(&window, &JsValue::from_str(TEXTS_VAR))?
        .dyn_into()
        .map_err(|_| JsValue::from_str("the search texts are not loaded"))?;
    if texts.length() as usize != index.n_sections() {
        return Err(JsValue::from_str(
            "the search texts do not match the index (one per section)",
        ));
    }
    Ok(Loaded { index, texts })
}

/// `<li><a href><span title/><span where/></a><p excerpt/></li>`.
fn hit_element(document: &Document, hit: &Hit, root: &str) -> Result<Element, JsValue> {
    let item = document.create_element("li")?;
    item.set_class_name("search-hit");
    let link = document.create_element("a")?;
    let href = if hit.anchor.is_empty() {
        format!("{root}{}", hit.url)
    } else {
        format!("{root}{}#{}", hit.url, hit.anchor)
    };
    link.set_attribute("href", &href)?;
    let title = document.create_element("span")?;
    title.set_class_name("search-title");
    append_marked(document, &title, &hit.title, &hit.title_highlights)?;
    link.append_child(&title)?;
    let mut place: Vec<(&str, &[(usize, usize)])> = Vec::new();
    if let Some(module) = &hit.module {
        if module != &hit.title {
            place.push((module, &[]));
        }
    }
    if !hit.section_heading.is_empty() && hit.section_heading != hit.title {
        place.push((&hit.section_heading, &hit.heading_highlights));
    }
    if !place.is_empty() {
        let where_ = document.create_element("span")?;
        where_.set_class_name("search-where");
        for (index, (text, highlights)) in place.iter().enumerate() {
            if index > 0 {
                where_.append_child(&document.create_text_node(" › "))?;
            }
            append_marked(document, &where_, text, highlights)?;
        }
        link.append_child(&where_)?;
    }
    item.append_child(&link)?;
    if !hit.excerpt.is_empty() {
        let excerpt = document.create_element("p")?;
        excerpt.set_class_name("search-excerpt");
        append_marked(document, &excerpt, &hit.excerpt, &hit.highlights)?;
        item.append_child(&excerpt)?;
    }
    Ok(item)
}

/// Appends `text` to `parent` as text nodes, the byte ranges `highlights` wrapped in `<mark>`.
fn append_marked(
    document: &Document,
    parent: &Element,
    text: &str,
    highlights: &[(usize, usize)],
) -> Result<(), JsValue> {
    let mut last = 0;
    for &(start, end) in highlights {
        if start < last
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        if start > last {
            parent.append_child(&document.create_text_node(&text[last..start]))?;
        }
        let mark = document.create_element("mark")?;
        mark.set_text_content(Some(&text[start..end]));
        parent.append_child(&mark)?;
        last = end;
    }
    if last < text.len() {
        parent.append_child(&document.create_text_node(&text[last..]))?;
    }
    Ok(())
}
