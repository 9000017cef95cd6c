//! The in-memory pipeline: inputs → diagnostics and output files.

use std::collections::{BTreeMap, HashMap};

use didact_config::Config;
use didact_content::{load_course, Course, SourcePage};
use didact_diag::{Diagnostic, Files};
use didact_markdown::{render_fragment, render_page, PageContext as MarkdownContext, RenderedPage};
use didact_render::{
    home_children, roman, ChildContext, CourseContext, LinkContext, Navigation, PageContext,
    TemplateSource, Templates,
};
use rayon::prelude::*;

use crate::{check, BuildResult, Inputs};

/// The generated site: output path (relative, `/` separated) → bytes, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// Every output file.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Number of HTML pages written.
    pub pages_written: usize,
}

/// Run the whole pipeline in memory.
pub fn compile(inputs: Inputs) -> BuildResult {
    let mut files = Files::new();
    let mut diagnostics = Vec::new();

    // 1. Config.
    let book = files.add("book.toml", inputs.book_toml);
    let (config, mut problems) = didact_config::parse_config(&files.get(book).text, book);
    diagnostics.append(&mut problems);

    // 2. Course model.
    let sources: Vec<SourcePage> = inputs
        .pages
        .into_iter()
        .map(|(path, text)| {
            let file = files.add(format!("content/{path}"), text.clone());
            SourcePage { path, file, text }
        })
        .collect();
    let Some(config) = config else {
        return BuildResult {
            diagnostics,
            files,
            site: None,
        };
    };
    let (course, mut problems) = load_course(&config, sources);
    diagnostics.append(&mut problems);

    // 3. Markdown, in parallel.
    let url_by_source: HashMap<&str, &str> = course
        .pages
        .iter()
        .filter(|p| !p.source.is_empty())
        .map(|p| (p.source.as_str(), p.url.as_str()))
        .collect();
    let page_url = |source: &str| url_by_source.get(source).map(|u| u.to_string());
    let rendered: Vec<(RenderedPage, Vec<Diagnostic>)> = course
        .pages
        .par_iter()
        .map(|page| {
            let ctx = MarkdownContext {
                file: page.file,
                body_offset: page.body_offset,
                source: &page.source,
                page_url: &page_url,
                url: &page.url,
            };
            render_page(&page.body, &ctx)
        })
        .collect();
    let mut rendered: Vec<RenderedPage> = rendered
        .into_iter()
        .map(|(page, mut problems)| {
            diagnostics.append(&mut problems);
            page
        })
        .collect();

    // 5. Templates.
    let theme_sources: Vec<TemplateSource> = inputs
        .theme
        .iter()
        .filter_map(|f| {
            let name = f.path.strip_prefix("templates/")?;
            let text = String::from_utf8_lossy(&f.bytes).to_string();
            let file = files.add(f.display.clone(), text.clone());
            Some(TemplateSource {
                name: name.to_string(),
                text,
                file,
            })
        })
        .collect();
    let templates = match Templates::compile(&theme_sources) {
        Ok(t) => Some(t),
        Err(mut problems) => {
            diagnostics.append(&mut problems);
            None
        }
    };
    let course_ctx = CourseContext::new(&config, render_fragment(&config.course.description));
    let mut base = tera::Context::new();
    base.insert("course", &course_ctx);

    // 6. Directives → widgets.
    let mut widgets = crate::widgets::Widgets::new(&config);
    for (page, rendered_page) in course.pages.iter().zip(rendered.iter_mut()) {
        let ctx = MarkdownContext {
            file: page.file,
            body_offset: page.body_offset,
            source: &page.source,
            page_url: &page_url,
            url: &page.url,
        };
        for directive in &rendered_page.directives {
            let html = widgets.render(
                directive,
                &ctx,
                &mut files,
                &inputs.data,
                templates.as_ref(),
                &base,
            );
            rendered_page.html = rendered_page
                .html
                .replacen(&directive.placeholder, &html, 1);
        }
        rendered_page.links.append(&mut widgets.links);
    }
    diagnostics.extend(widgets.finish());

    // 7. Checks across pages: links, anchors, assets.
    let asset_paths: Vec<&str> = inputs
        .assets
        .iter()
        .map(|(p, _)| p.as_str())
        .chain(inputs.data.iter().map(|(p, _)| p.as_str()))
        .collect();
    diagnostics.extend(check::check_links(&course, &rendered, &asset_paths));
    let (releases, mut problems) =
        crate::changelog::parse_changelog(&inputs.data, &mut files, &config.course.version);
    diagnostics.append(&mut problems);
    let search_index = build_search_index(&course, &rendered, &widgets);

    didact_diag::sort(&mut diagnostics, &files);
    // A scenario shared by several exercises is checked once per exercise: report it once.
    diagnostics.dedup();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return BuildResult {
            diagnostics,
            files,
            site: None,
        };
    }
    let templates = templates.expect("no errors means templates compiled");

    // 7. Pages.
    let mut site = Site::default();
    match render_pages(&course, &rendered, &templates, &base, &config) {
        Ok(pages) => {
            site.pages_written = pages.len();
            site.files.extend(pages);
        }
        Err(problem) => {
            diagnostics.push(problem);
            return BuildResult {
                diagnostics,
                files,
                site: None,
            };
        }
    }

    // 8. Course-wide pages generated from templates, when the theme has them.
    match render_special_pages(&course, &rendered, &templates, &base, &widgets) {
        Ok(pages) => {
            site.pages_written += pages.len();
            site.files.extend(pages);
        }
        Err(problem) => {
            diagnostics.push(problem);
            return BuildResult {
                diagnostics,
                files,
                site: None,
            };
        }
    }

    // 8b. « Nouveautés », from the course's changelog.
    let changes_nav = Navigation::new(&course).render(None, crate::changelog::CHANGES_PAGE, "");
    match crate::changelog::render_changes_page(&releases, &templates, &base, &changes_nav) {
        Ok(page) => {
            site.pages_written += usize::from(page.is_some());
            site.files.extend(page);
        }
        Err(problem) => {
            diagnostics.push(problem);
            return BuildResult {
                diagnostics,
                files,
                site: None,
            };
        }
    }

    diagnostics.extend(crate::reach::check_reachable(&course, &site.files, &files));

    // 9. Assets: theme static files, the runtime, course files.
    for file in &inputs.theme {
        if let Some(rel) = file.path.strip_prefix("static/") {
            site.files
                .insert(format!("assets/{rel}"), file.bytes.clone());
        }
    }
    site.files.insert(
        "assets/didact-runtime.js".into(),
        crate::RUNTIME_JS.as_bytes().to_vec(),
    );
    site.files
        .insert("assets/search-index.js".into(), search_index.into_bytes());
    for (path, bytes) in inputs.assets {
        site.files
            .insert(didact_markdown::asset_output_path(&path), bytes);
    }
    BuildResult {
        diagnostics,
        files,
        site: Some(site),
    }
}

/// Render every HTML page of the site.
fn render_pages(
    course: &Course,
    rendered: &[RenderedPage],
    templates: &Templates,
    base: &tera::Context,
    config: &Config,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let nav = Navigation::new(course);
    let order = course.reading_order();

    let link = |i: usize, from: &str| {
        let page = &course.pages[i];
        LinkContext {
            title: page.front.title.clone(),
            href: didact_content::relative_url(from, &page.url),
        }
    };

    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = course
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let root = "../".repeat(page.depth());
            let position = order.iter().position(|&p| p == i);
            let prev = position
                .and_then(|pos| pos.checked_sub(1))
                .map(|pos| link(order[pos], &page.url));
            let prev = prev.or_else(|| {
                position.filter(|&p| p == 0).map(|_| LinkContext {
                    title: "Accueil".into(),
                    href: format!("{root}index.html"),
                })
            });
            let next = position
                .and_then(|pos| order.get(pos + 1))
                .map(|&n| link(n, &page.url));
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
                    breadcrumbs.push(link(module.index_page, &page.url));
                }
            }
            let rendered_page = &rendered[i];
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
            context.insert("nav", &nav.render(Some(i), &page.url, &root));
            let template = if page.is_module_index {
                "module.html"
            } else {
                "page.html"
            };
            let html = templates.render(template, &context)?;
            Ok((page.url.clone(), html.into_bytes()))
        })
        .collect();
    let mut res = Vec::with_capacity(results.len() + 2);
    for result in results {
        res.push(result?);
    }

    // Home and 404.
    let mut context = base.clone();
    context.insert("modules", &home_children(course));
    context.insert("nav", &nav.render(None, "index.html", ""));
    context.insert("root", "");
    let first = order.first().map(|&f| link(f, "index.html"));
    context.insert("start", &first);
    res.push((
        "index.html".into(),
        templates.render("home.html", &context)?.into_bytes(),
    ));
    let mut context = base.clone();
    context.insert("nav", &nav.render(None, "404.html", ""));
    context.insert("root", "");
    res.push((
        "404.html".into(),
        templates.render("404.html", &context)?.into_bytes(),
    ));
    Ok(res)
}

/// The search index of the course as a classic script (`window.didactSearchIndex`).
fn build_search_index(
    course: &Course,
    rendered: &[RenderedPage],
    widgets: &crate::widgets::Widgets,
) -> String {
    use didact_search::{DocKind, Document, Section};
    let mut docs: Vec<Document> = course
        .pages
        .iter()
        .zip(rendered)
        .map(|(page, rendered_page)| Document {
            url: page.url.clone(),
            title: page.front.title.clone(),
            module: page.module.map(|m| {
                course.pages[course.modules[m].index_page]
                    .front
                    .title
                    .clone()
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
                    anchor: s.anchor.clone(),
                    heading: s.heading.clone(),
                    text: s.text.clone(),
                })
                .collect(),
        })
        .collect();
    for exercise in &widgets.exercises {
        if let Some(doc) = docs.iter_mut().find(|d| d.url == exercise.url) {
            doc.sections.push(Section {
                anchor: format!("exercice-{}", exercise.id),
                heading: exercise.title.clone(),
                text: exercise.text.clone(),
            });
        }
    }
    for quiz in &widgets.quizzes {
        if let Some(doc) = docs.iter_mut().find(|d| d.url == quiz.url) {
            doc.sections.push(Section {
                anchor: format!("quiz-{}", quiz.id),
                heading: quiz.title.clone().unwrap_or_else(|| "Quiz".into()),
                text: quiz.text.clone(),
            });
        }
    }
    let index = didact_search::build_index(&docs);
    didact_search::index_script(&index.to_json(), "didactSearchIndex")
}

/// Course-wide pages the theme may provide: output path → template.
///
/// `progression.html` (« Ma progression »), `imprimer.html` (« Version imprimable »: the whole
/// course) and `storage.html` (the one storage document every page talks to, see
/// ARCHITECTURE.md, "Saved progress").
pub const SPECIAL_PAGES: &[(&str, &str)] = &[
    ("progression.html", "progress.html"),
    ("imprimer.html", "print.html"),
    ("storage.html", "storage.html"),
];

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
    content: &'a str,
    quizzes: Vec<&'a str>,
    exercises: Vec<&'a str>,
}

fn render_special_pages(
    course: &Course,
    rendered: &[RenderedPage],
    templates: &Templates,
    base: &tera::Context,
    widgets: &crate::widgets::Widgets,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let wanted: Vec<&(&str, &str)> = SPECIAL_PAGES
        .iter()
        .filter(|(_, template)| templates.has(template))
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let nav = Navigation::new(course);
    let entries: Vec<EntryContext> = course
        .pages
        .iter()
        .zip(rendered)
        .map(|(page, rendered_page)| EntryContext {
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
            content: &rendered_page.html,
            quizzes: widgets
                .quizzes
                .iter()
                .filter(|q| q.url == page.url)
                .map(|q| q.id.as_str())
                .collect(),
            exercises: widgets
                .exercises
                .iter()
                .filter(|e| e.url == page.url)
                .map(|e| e.id.as_str())
                .collect(),
        })
        .collect();
    let mut res = Vec::new();
    for (output, template) in wanted {
        let mut context = base.clone();
        context.insert("entries", &entries);
        context.insert("quizzes", &widgets.quizzes);
        context.insert("exercises", &widgets.exercises);
        context.insert("nav", &nav.render(None, output, ""));
        context.insert("root", "");
        context.insert("output", output);
        res.push((
            output.to_string(),
            templates.render(template, &context)?.into_bytes(),
        ));
    }
    Ok(res)
}
