//! The in-memory pipeline: inputs → diagnostics and output files.
//!
//! [`compile`] is the reference full build; the steps it shares with [`crate::Compiler`]
//! (one course page, home and 404, course-wide pages, the search index) live here.

use std::collections::{BTreeMap, HashMap};

use didact_config::Config;
use didact_content::Course;
use didact_diag::Diagnostic;
use didact_markdown::RenderedPage;
use didact_render::{
    home_children, roman, ChildContext, LinkContext, Navigation, PageContext, Templates, NAV_SCRIPT,
};

use crate::sink::Sink;
use crate::widgets::{ExerciseInfo, QuizInfo};
use crate::{BuildResult, Inputs};

/// The generated site: output path (relative, `/` separated) → bytes, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// Every output file.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Number of HTML pages written.
    pub pages_written: usize,
}

/// Run the whole pipeline in memory.
///
/// This is the reference build: `serve`'s [`crate::Compiler`] runs the same steps (this module's
/// functions) on the pages a change needs, and must give the same bytes.
pub fn compile(inputs: Inputs) -> BuildResult {
    let mut compiler = crate::Compiler::new();
    compiler.build(&inputs);
    compiler.into_result()
}

/// The navigation pieces every page shares: computed once per course shape and titles.
pub(crate) struct Shared {
    pub nav: Navigation,
    pub order: Vec<usize>,
}

impl Shared {
    pub fn new(course: &Course) -> Self {
        Shared {
            nav: Navigation::new(course),
            order: course.reading_order(),
        }
    }
}

fn link(course: &Course, i: usize, from: &str) -> LinkContext {
    let page = &course.pages[i];
    LinkContext {
        title: page.front.title.clone(),
        href: didact_content::relative_url(from, &page.url),
    }
}

/// Render the HTML page of course page `i`: (output path, bytes).
pub(crate) fn render_course_page(
    course: &Course,
    rendered_page: &RenderedPage,
    i: usize,
    shared: &Shared,
    templates: &Templates,
    base: &tera::Context,
    config: &Config,
) -> Result<(String, Vec<u8>), Diagnostic> {
    let page = &course.pages[i];
    let order = &shared.order;
    let root = "../".repeat(page.depth());
    let position = order.iter().position(|&p| p == i);
    let prev = position
        .and_then(|pos| pos.checked_sub(1))
        .map(|pos| link(course, order[pos], &page.url));
    let prev = prev.or_else(|| {
        position.filter(|&p| p == 0).map(|_| LinkContext {
            title: "Accueil".into(),
            href: format!("{root}index.html"),
        })
    });
    let next = position
        .and_then(|pos| order.get(pos + 1))
        .map(|&n| link(course, n, &page.url));
    let mut breadcrumbs = vec![LinkContext {
        title: "Accueil".into(),
        href: format!("{root}index.html"),
    }];
    let mut module_label = None;
    let mut children = Vec::new();
    if let Some(m) = page.module {
        let module = &course.modules[m];
        let label = format!("Partie {}", roman(module.number));
        if page.is_module_index {
            module_label = Some(label);
            children = module
                .pages
                .iter()
                .map(|&p| &course.pages[p])
                .filter(|p| p.in_nav())
                .map(|p| ChildContext {
                    title: p.front.title.clone(),
                    href: didact_content::relative_url(&page.url, &p.url),
                    description: p.front.description.clone(),
                    duration: p.front.duration,
                    label: None,
                    children: vec![],
                })
                .collect();
        } else {
            breadcrumbs.push(link(course, module.index_page, &page.url));
        }
    }
    let objectives = page
        .front
        .objectives
        .iter()
        .filter_map(|id| {
            config
                .objectives
                .iter()
                .find(|o| &o.id == id)
                .map(|o| o.label.clone())
        })
        .collect();
    let ctx = PageContext {
        title: page.front.title.clone(),
        description: page.front.description.clone(),
        root: root.clone(),
        url: page.url.clone(),
        content: rendered_page.html.clone(),
        duration: page.front.duration,
        reading_minutes: (rendered_page.word_count as u32).div_ceil(200).max(1),
        objectives,
        toc: rendered_page
            .headings
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| LinkContext {
                title: h.text.clone(),
                href: format!("#{}", h.id),
            })
            .collect(),
        breadcrumbs,
        prev,
        next,
        children,
        module_label,
        page_id: page.url.trim_end_matches(".html").to_string(),
    };
    let mut context = base.clone();
    context.insert("page", &ctx);
    context.insert("root", &root);
    context.insert("nav", &shared.nav.render(Some(i), &page.url, &root));
    let template = if page.is_module_index {
        "module.html"
    } else {
        "page.html"
    };
    let html = templates.render(template, &context)?;
    Ok((page.url.clone(), html.into_bytes()))
}

/// The home page, the 404 page and the sidebar's list of top-level entries.
pub(crate) fn render_home_and_404(
    course: &Course,
    shared: &Shared,
    templates: &Templates,
    base: &tera::Context,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let mut res = Vec::with_capacity(2);
    let mut context = base.clone();
    context.insert("modules", &home_children(course));
    context.insert("nav", &shared.nav.render(None, "index.html", ""));
    context.insert("root", "");
    let first = shared.order.first().map(|&f| link(course, f, "index.html"));
    context.insert("start", &first);
    res.push((
        "index.html".into(),
        templates.render("home.html", &context)?.into_bytes(),
    ));
    let mut context = base.clone();
    context.insert("nav", &shared.nav.render(None, "404.html", ""));
    context.insert("root", "");
    res.push((
        "404.html".into(),
        templates.render("404.html", &context)?.into_bytes(),
    ));
    res.push((NAV_SCRIPT.into(), shared.nav.script().into_bytes()));
    Ok(res)
}

/// The search index of the course (written as a classic script, `window.didactSearchIndex`
/// and `window.didactSearchTexts`, by `didact_search::Index::write_script`). The pages' texts
/// are indexed where they are, not copied.
pub(crate) fn build_search_index(
    course: &Course,
    rendered: &[std::sync::Arc<RenderedPage>],
    quizzes: &[&QuizInfo],
    exercises: &[&ExerciseInfo],
) -> didact_search::Index {
    use didact_search::{DocKind, Document, Section};
    let mut docs: Vec<Document> = course
        .pages
        .iter()
        .zip(rendered)
        .map(|(page, rendered_page)| Document {
            url: page.url.as_str().into(),
            title: page.front.title.as_str().into(),
            module: page.module.map(|m| {
                course.pages[course.modules[m].index_page]
                    .front
                    .title
                    .as_str()
                    .into()
            }),
            kind: if page.is_module_index {
                DocKind::Module
            } else if page.slug.starts_with("glossaire") {
                DocKind::Glossary
            } else {
                DocKind::Page
            },
            sections: rendered_page
                .sections
                .iter()
                .map(|s| Section {
                    anchor: s.anchor.as_str().into(),
                    heading: s.heading.as_str().into(),
                    text: s.text.as_str().into(),
                })
                .collect(),
        })
        .collect();
    for exercise in exercises {
        if let Some(doc) = docs.iter_mut().find(|d| d.url == exercise.url) {
            doc.sections.push(Section {
                anchor: format!("exercice-{}", exercise.id).into(),
                heading: exercise.title.as_str().into(),
                text: exercise.text.as_str().into(),
            });
        }
    }
    for quiz in quizzes {
        if let Some(doc) = docs.iter_mut().find(|d| d.url == quiz.url) {
            doc.sections.push(Section {
                anchor: format!("quiz-{}", quiz.id).into(),
                heading: quiz.title.as_deref().unwrap_or("Quiz").into(),
                text: quiz.text.as_str().into(),
            });
        }
    }
    didact_search::build_index(&docs)
}

/// Course-wide pages the theme may provide: output path → template.
///
/// Their context: `course`, `nav`, `root`, `output`, `entries` (every page, in course order;
/// with its HTML for `print.html` only), `groups` (the pages in the navigation by part, see
/// `GroupContext`), `quizzes`, `exercises`.
/// `progression.html` (« Ma progression »), `imprimer.html` (« Version imprimable »: the whole
/// course) and `storage.html` (the one storage document every page talks to, see
/// ARCHITECTURE.md, "Saved progress").
pub const SPECIAL_PAGES: &[(&str, &str)] = &[
    ("progression.html", "progress.html"),
    ("imprimer.html", "print.html"),
    ("storage.html", "storage.html"),
];

/// The pages of one part of the course, for « Ma progression »: a module's pages (index
/// first) under its title, or the other pages of the navigation under an empty title.
#[derive(serde::Serialize)]
struct GroupContext<'a> {
    title: &'a str,
    entries: Vec<&'a EntryContext<'a>>,
}

/// One page of the course as the course-wide templates see it.
#[derive(serde::Serialize)]
struct EntryContext<'a> {
    url: &'a str,
    page_id: &'a str,
    title: &'a str,
    module: Option<&'a str>,
    module_label: Option<String>,
    is_module_index: bool,
    in_nav: bool,
    duration: Option<u32>,
    objectives: &'a [String],
    /// The page's HTML: empty here, filled in for the printable version only by
    /// [`print_entries`] (the other pages do not need it and it is the bulk of the context).
    content: &'a str,
    quizzes: Vec<&'a QuizInfo>,
    exercises: Vec<&'a ExerciseInfo>,
}

/// The HTML of every page for the printable version: each page's rendered Markdown.
pub(crate) enum PrintContents<'a> {
    /// Copied from the pages, which are kept.
    Copy(&'a [std::sync::Arc<RenderedPage>]),
    /// Given, one per page, and moved into the template's context: a build that drops the
    /// pages afterwards needs no second copy of the whole course (45 MB at 5 000 pages).
    Moved(Vec<String>),
}

/// The `entries` of the printable version: `light` with each page's HTML.
fn print_entries(light: &[EntryContext], contents: PrintContents) -> tera::Context {
    let mut moved = match contents {
        PrintContents::Moved(contents) => contents,
        PrintContents::Copy(rendered) => rendered.iter().map(|r| r.html.clone()).collect(),
    };
    let entries = light
        .iter()
        .zip(&mut moved)
        .map(|(entry, content)| {
            let mut value = serde_json::to_value(entry).expect("an entry is plain data");
            if let serde_json::Value::Object(fields) = &mut value {
                fields.insert(
                    "content".into(),
                    serde_json::Value::String(std::mem::take(content)),
                );
            }
            value
        })
        .collect();
    let mut fields = serde_json::Map::new();
    fields.insert("entries".into(), serde_json::Value::Array(entries));
    // `from_value` takes the value as it is, where `insert` would serialise it again.
    tera::Context::from_value(serde_json::Value::Object(fields)).expect("an object")
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn render_special_pages(
    course: &Course,
    shared: &Shared,
    templates: &Templates,
    base: &tera::Context,
    quizzes: &[&QuizInfo],
    exercises: &[&ExerciseInfo],
    mut print_contents: PrintContents,
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    let wanted: Vec<&(&str, &str)> = SPECIAL_PAGES
        .iter()
        .filter(|(_, template)| templates.has(template))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let nav = &shared.nav;
    // Widgets by page, so each entry finds its own without scanning them all.
    let mut quizzes_by_url: HashMap<&str, Vec<&QuizInfo>> = HashMap::new();
    for quiz in quizzes {
        quizzes_by_url
            .entry(quiz.url.as_str())
            .or_default()
            .push(quiz);
    }
    let mut exercises_by_url: HashMap<&str, Vec<&ExerciseInfo>> = HashMap::new();
    for exercise in exercises {
        exercises_by_url
            .entry(exercise.url.as_str())
            .or_default()
            .push(exercise);
    }
    let light: Vec<EntryContext> = course
        .pages
        .iter()
        .map(|page| EntryContext {
            url: &page.url,
            page_id: page.url.trim_end_matches(".html"),
            title: &page.front.title,
            module: page.module.map(|m| {
                course.pages[course.modules[m].index_page]
                    .front
                    .title
                    .as_str()
            }),
            module_label: page
                .module
                .map(|m| format!("Partie {}", roman(course.modules[m].number))),
            is_module_index: page.is_module_index,
            in_nav: page.in_nav(),
            duration: page.front.duration,
            objectives: &page.front.objectives,
            content: "",
            quizzes: quizzes_by_url
                .get(page.url.as_str())
                .cloned()
                .unwrap_or_default(),
            exercises: exercises_by_url
                .get(page.url.as_str())
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    // The pages of each module, then the other pages in the navigation: what « Ma
    // progression » lists by part, grouped here once rather than by a loop over every page
    // inside the loop over modules in the template (quadratic at thousands of pages).
    let mut groups: Vec<GroupContext> = Vec::new();
    let mut group_of_module: HashMap<usize, usize> = HashMap::new();
    let mut others = GroupContext {
        title: "",
        entries: Vec::new(),
    };
    for (page, entry) in course.pages.iter().zip(&light) {
        if !page.in_nav() {
            continue;
        }
        match page.module {
            Some(m) => {
                let g = *group_of_module.entry(m).or_insert_with(|| {
                    groups.push(GroupContext {
                        title: course.pages[course.modules[m].index_page]
                            .front
                            .title
                            .as_str(),
                        entries: Vec::new(),
                    });
                    groups.len() - 1
                });
                groups[g].entries.push(entry);
            }
            None => others.entries.push(entry),
        }
    }
    if !others.entries.is_empty() {
        groups.push(others);
    }
    for (output, template) in wanted {
        let mut context = base.clone();
        if *template == "print.html" {
            let contents = std::mem::replace(&mut print_contents, PrintContents::Moved(Vec::new()));
            context.extend(print_entries(&light, contents));
        } else {
            context.insert("entries", &light);
        }
        context.insert("groups", &groups);
        context.insert("quizzes", quizzes);
        context.insert("exercises", exercises);
        context.insert("nav", &nav.render(None, output, ""));
        context.insert("root", "");
        context.insert("output", output);
        // Written as it renders: the printable version is the whole course (48 MB at 5 000
        // pages).
        sink.put_with(output, &mut |out| {
            templates.render_to(template, &context, out)
        })?;
    }
    Ok(())
}
