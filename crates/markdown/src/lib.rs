//! Page body → HTML fragment, plus what the rest of the build needs to know about it.
//!
//! Process: 1. parse Markdown events with offsets (pulldown-cmark), 2. lift directives
//! (fenced blocks such as `quiz` and `exercice`) out of the flow, leaving a placeholder,
//! 3. give headings stable ids, 4. turn GitHub admonitions into callouts, 5. rewrite links
//! to `.md` sources into links to output pages and record every link and image for checking,
//! 6. apply French typography to text, 7. emit HTML, and collect per-section text for search.
//!
//! **Invariant:** knows nothing about tera or the file system.
//! **Invariant:** never fails; returns the fragment and a list of diagnostics.
#![warn(missing_docs)]

mod directive;
mod typography;

use didact_diag::{Diagnostic, FileId, Span};
pub use didact_quiz::Markup;
pub use directive::{
    file_reference, locate, parse_exercise, parse_quiz, parse_yaml, ParsedExercise, YamlSource,
};
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
pub use typography::{french_typography, slugify};

/// Names of the fenced-block directives.
pub const DIRECTIVES: &[&str] = &["quiz", "exercice"];

/// A directive lifted out of the page.
#[derive(Debug, Clone)]
pub struct Directive {
    /// `quiz` or `exercice`.
    pub kind: String,
    /// The YAML inside the fence.
    pub body: String,
    /// Byte offset of `body` in the file (for YAML error positions).
    pub body_offset: usize,
    /// The whole fenced block in the file.
    pub span: Span,
    /// The placeholder left in the HTML, replaced later by the rendered widget.
    pub placeholder: String,
}

/// A heading of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` attribute.
    pub id: String,
    /// Plain text.
    pub text: String,
}

/// What a link or image points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another page, by source path relative to `content/` (resolved), with an optional anchor.
    Page {
        /// Source path relative to `content/`.
        source: String,
        /// The part after `#`.
        fragment: Option<String>,
    },
    /// An anchor in the same page.
    SamePage(String),
    /// A file copied with the course (image, PDF…), path relative to `content/`.
    Asset(String),
    /// Anything with a scheme (`https:`, `mailto:`).
    External(String),
}

/// A link or image found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// What it points at.
    pub target: LinkTarget,
    /// Where it is written.
    pub span: Span,
    /// True for `![…](…)`.
    pub is_image: bool,
}

/// A section of the page for the search index: the text under one heading.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Anchor of the heading (empty for the text before the first heading).
    pub anchor: String,
    /// Heading text.
    pub heading: String,
    /// Plain text.
    pub text: String,
}

/// Everything rendering a page produces.
#[derive(Debug, Clone, Default)]
pub struct RenderedPage {
    /// The HTML fragment, with directive placeholders.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Directives in order.
    pub directives: Vec<Directive>,
    /// Links and images in order.
    pub links: Vec<Link>,
    /// Text per section, for search.
    pub sections: Vec<Section>,
    /// Number of words of prose.
    pub word_count: usize,
}

/// Where the page is, so relative links can be resolved.
pub struct PageContext<'a> {
    /// The file, for spans.
    pub file: FileId,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// Source path relative to `content/`.
    pub source: &'a str,
    /// Maps a page's source path (relative to `content/`) to its output URL relative to the
    /// site root; `None` when no such page exists.
    pub page_url: &'a dyn Fn(&str) -> Option<String>,
    /// Output URL of this page relative to the site root.
    pub url: &'a str,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

/// Render a page body.
pub fn render_page(body: &str, ctx: &PageContext) -> (RenderedPage, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut res = RenderedPage::default();
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: Vec<String> = Vec::new();
    let mut section = Section::default();

    let parser = Parser::new_ext(body, options()).into_offset_iter();
    let mut in_heading: Option<(HeadingLevel, Option<String>, Vec<Event>, String)> = None;
    let mut in_directive: Option<(String, String, std::ops::Range<usize>)> = None;
    let mut in_code_block = false;
    let span_of = |range: &std::ops::Range<usize>| {
        Span::new(
            ctx.file,
            ctx.body_offset + range.start,
            ctx.body_offset + range.end,
        )
    };

    for (event, range) in parser {
        // 2. Directives.
        if let Some((_, text, _)) = in_directive.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (kind, body_text, start) = in_directive.take().expect("inside a directive");
                    let block = &body[start.start..range.end];
                    let content_start =
                        start.start + block.find('\n').map(|i| i + 1).unwrap_or(block.len());
                    let placeholder = format!("<!--didact-directive-{}-->", res.directives.len());
                    events.push(Event::Html(CowStr::from(format!("{placeholder}\n"))));
                    res.directives.push(Directive {
                        kind,
                        body: body_text,
                        body_offset: ctx.body_offset + content_start,
                        span: span_of(&(start.start..range.end)),
                        placeholder,
                    });
                }
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let name = info.split_whitespace().next().unwrap_or("").to_string();
                if DIRECTIVES.contains(&name.as_str()) {
                    in_directive = Some((name, String::new(), range.clone()));
                    continue;
                }
                if let Some(suggestion) = looks_like_directive(&name) {
                    let fence_line_end = body[range.clone()].find('\n').unwrap_or(0);
                    diagnostics.push(
                        Diagnostic::error(
                            "unknown-directive",
                            format!("unknown directive `{name}`"),
                            span_of(&(range.start..range.start + fence_line_end)),
                        )
                        .with_help(format!(
                            "did you mean `{suggestion}`? known directives: {}",
                            DIRECTIVES.join(", ")
                        )),
                    );
                }
                in_code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            _ => {}
        }

        // 3. Headings: collect their events to compute the id from the text.
        if let Some((_, _, inner, text)) = in_heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = event {
                let (level, explicit_id, inner, text) =
                    in_heading.take().expect("inside a heading");
                let base = explicit_id.unwrap_or_else(|| slugify(&text));
                let base = if base.is_empty() {
                    "section".to_string()
                } else {
                    base
                };
                let mut id = base.clone();
                let mut n = 1;
                while used_ids.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                used_ids.push(id.clone());
                let level_n = level as u8;
                if level_n >= 2 {
                    res.sections.push(std::mem::take(&mut section));
                    section.anchor = id.clone();
                    section.heading = text.trim().to_string();
                }
                res.headings.push(Heading {
                    level: level_n,
                    id: id.clone(),
                    text: text.trim().to_string(),
                });
                events.push(Event::Html(CowStr::from(format!(
                    "<h{level_n} id=\"{}\">",
                    escape_attr(&id)
                ))));
                events.extend(inner);
                events.push(Event::Html(CowStr::from(format!(
                    "<a class=\"anchor\" href=\"#{}\" aria-label=\"Lien vers cette section\">#</a></h{level_n}>\n",
                    escape_attr(&id)
                ))));
                continue;
            }
            let event = transform_inline(event, &range, ctx, &mut res, &span_of);
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            inner.push(event);
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                in_heading = Some((level, id.map(|s| s.to_string()), Vec::new(), String::new()));
            }
            // 4. Admonitions.
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = match kind {
                    BlockQuoteKind::Note => ("note", "Note"),
                    BlockQuoteKind::Tip => ("tip", "Conseil"),
                    BlockQuoteKind::Important => ("important", "Important"),
                    BlockQuoteKind::Warning => ("warning", "Attention"),
                    BlockQuoteKind::Caution => ("caution", "Prudence"),
                };
                events.push(Event::Html(CowStr::from(format!(
                    "<aside class=\"callout callout-{class}\" role=\"note\" aria-label=\"{label}\"><p class=\"callout-title\">{label}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html(CowStr::from("</aside>\n")))
            }
            other => {
                let other = transform_inline(other, &range, ctx, &mut res, &span_of);
                if let Event::Text(t) | Event::Code(t) = &other {
                    if !in_code_block {
                        res.word_count += t
                            .split_whitespace()
                            .filter(|w| w.chars().any(char::is_alphanumeric))
                            .count();
                    }
                    section.text.push_str(t);
                } else if matches!(
                    other,
                    Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell)
                        | Event::SoftBreak
                        | Event::HardBreak
                ) {
                    section.text.push(' ');
                }
                events.push(other);
            }
        }
    }
    res.sections.push(section);
    res.sections
        .retain(|s| !s.text.trim().is_empty() || !s.heading.is_empty());
    for s in &mut res.sections {
        s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    pulldown_cmark::html::push_html(&mut res.html, events.into_iter());
    // Grown by doubling, the buffer may be twice the page: a course keeps every page.
    res.html.shrink_to_fit();
    (res, diagnostics)
}

/// Render a short Markdown text (course description) to an HTML fragment.
pub fn render_fragment(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|e| match e {
        Event::Text(t) => Event::Text(CowStr::from(french_typography(&t))),
        e => e,
    });
    let mut res = String::new();
    pulldown_cmark::html::push_html(&mut res, events);
    res
}

/// Render a short Markdown text that belongs to a page (quiz prompt, feedback): links are
/// resolved like the page's own and returned for checking, with `span` as their position.
pub fn render_fragment_in(markdown: &str, ctx: &PageContext, span: Span) -> (String, Vec<Link>) {
    let mut page = RenderedPage::default();
    let span_of = |_: &std::ops::Range<usize>| span;
    let events: Vec<Event> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .map(|(e, range)| transform_inline(e, &range, ctx, &mut page, &span_of))
        .collect();
    let mut res = String::new();
    pulldown_cmark::html::push_html(&mut res, events.into_iter());
    (res, page.links)
}

/// Unwrap a single `<p>…</p>` so the fragment can stand inline (a choice's text).
pub fn unwrap_paragraph(html: String) -> String {
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// Render Markdown that must stay inline (a choice's text): a single paragraph is unwrapped.
pub fn render_inline(markdown: &str) -> String {
    unwrap_paragraph(render_fragment(markdown))
}

/// Escape text for an HTML attribute value.
pub fn escape_attr(text: &str) -> String {
    let mut res = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => res.push_str("&amp;"),
            '"' => res.push_str("&quot;"),
            '<' => res.push_str("&lt;"),
            '>' => res.push_str("&gt;"),
            '\'' => res.push_str("&#39;"),
            c => res.push(c),
        }
    }
    res
}

fn transform_inline<'a>(
    event: Event<'a>,
    range: &std::ops::Range<usize>,
    ctx: &PageContext,
    res: &mut RenderedPage,
    span_of: &dyn Fn(&std::ops::Range<usize>) -> Span,
) -> Event<'a> {
    match event {
        Event::Text(t) => Event::Text(CowStr::from(french_typography(&t))),
        // A task list's box is information, not a control: a disabled checkbox has no label
        // for screen readers, so show a symbol with a text alternative.
        Event::TaskListMarker(done) => Event::Html(CowStr::from(if done {
            "<span class=\"task\" role=\"img\" aria-label=\"Fait\">☑</span> "
        } else {
            "<span class=\"task\" role=\"img\" aria-label=\"À faire\">☐</span> "
        })),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let (target, href) = resolve(&dest_url, ctx, false);
            res.links.push(Link {
                target,
                span: span_of(range),
                is_image: false,
            });
            Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(href),
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let (target, href) = resolve(&dest_url, ctx, true);
            res.links.push(Link {
                target,
                span: span_of(range),
                is_image: true,
            });
            Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(href),
                title,
                id,
            })
        }
        e => e,
    }
}

/// Resolve a link destination written in the page; returns the target and the output href.
fn resolve(dest: &str, ctx: &PageContext, is_image: bool) -> (LinkTarget, String) {
    if dest.contains(':')
        && !dest.starts_with('#')
        && !dest.starts_with("./")
        && !dest.starts_with("../")
    {
        return (LinkTarget::External(dest.to_string()), dest.to_string());
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        return (LinkTarget::SamePage(fragment.to_string()), dest.to_string());
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    let source = join(ctx.source, path);
    if path.ends_with(".md") && !is_image {
        let href = match (ctx.page_url)(&source) {
            Some(url) => {
                let mut href = relative(ctx.url, &url);
                if let Some(f) = &fragment {
                    href.push('#');
                    href.push_str(f);
                }
                href
            }
            None => dest.to_string(),
        };
        return (LinkTarget::Page { source, fragment }, href);
    }
    // An asset: output path = source path with module folder prefixes removed.
    let href = relative(ctx.url, &asset_output_path(&source));
    (LinkTarget::Asset(source), href)
}

/// The output path of an asset copied from `content/`: a module folder's numeric prefix is
/// dropped like the module's own URL (`01-vocabulaire/schema.svg` → `vocabulaire/schema.svg`).
pub fn asset_output_path(source: &str) -> String {
    let mut segments: Vec<&str> = source.split('/').collect();
    if segments.len() > 1 {
        let first = segments[0];
        let digits = first.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && first[digits..].starts_with('-') {
            segments[0] = &first[digits + 1..];
        }
    }
    segments.join("/")
}

/// Join a relative path to the folder of `from` (both relative to `content/`), resolving `..`.
fn join(from: &str, path: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn relative(from_url: &str, to_url: &str) -> String {
    format!("{}{}", "../".repeat(from_url.matches('/').count()), to_url)
}

/// A fence name that is probably a misspelt directive.
fn looks_like_directive(name: &str) -> Option<&'static str> {
    const LANGUAGES: &[&str] = &[
        "rust", "text", "yaml", "toml", "json", "html", "css", "js", "sh", "bash", "xml", "csv",
        "md", "markdown", "quote",
    ];
    if name.is_empty() || LANGUAGES.contains(&name) {
        return None;
    }
    let lower = name.to_lowercase();
    let candidates = [
        "quiz",
        "quizz",
        "exercice",
        "exercise",
        "exercices",
        "exercises",
        "exo",
        "qcm",
        "simulateur",
        "simulation",
    ];
    if let Some(pos) = candidates.iter().position(|c| *c == lower) {
        return Some(if pos < 2 || pos == 7 {
            "quiz"
        } else {
            "exercice"
        });
    }
    didact_diag::suggest(&lower, DIRECTIVES)
}

#[cfg(test)]
mod tests;
