//! Builds kept between changes, for `serve`: a change rebuilds only what it needs.
//!
//! 1. [`Compiler::build`] runs the whole pipeline ([`crate::compile`] is exactly this) and keeps
//!    every intermediate result: the config, the course model, each page's rendered Markdown
//!    with its widgets, links and diagnostics, the templates, the navigation, the output files
//!    and the link graph of the output pages.
//! 2. [`Compiler::rebuild`] takes the changed inputs. [`plan_rebuild`] decides what they need:
//!    a page whose body changed has its Markdown and widgets rendered again, its links checked
//!    again with the links that point at its anchors, and its own HTML page rendered; a page
//!    whose title or other front matter changed also renders the pages that show it
//!    ([`pages_showing`]); a content file edited in place is copied again. Anything else
//!    (`book.toml`, the theme, data files, a page added, removed or moved) runs the full build.
//! 3. The outputs that embed every page — the search index, the printable version, the progress
//!    and storage pages — and the reachability check are left to [`Compiler::finish`], so the
//!    edited page can be served before they are rebuilt.
//!
//! While the course has errors nothing is rendered: the pages to render pile up and are
//! rendered by the first build without errors, so the output always equals a full build's.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use didact_config::Config;
use didact_content::{load_course, Course, Page, SourcePage};
use didact_diag::{Diagnostic, FileId, Files, Span};
use didact_markdown::{render_fragment, render_page, PageContext as MarkdownContext, RenderedPage};
use didact_render::{CourseContext, TemplateSource, Templates};
use rayon::prelude::*;

use crate::changelog::Release;
use crate::check::{anchor_targets, check_page_links, PageIndex};
use crate::compile::{
    build_search_index, render_course_page, render_home_and_404, render_special_pages,
    PrintContents, Shared,
};
use crate::incremental::{changed_outputs, InputChange};
use crate::sink::{Collect, Folder, Sink, Written};
use crate::widgets::{check_duplicate_ids, ExerciseInfo, QuizInfo, Widgets};
use crate::{BuildResult, Inputs, Site};

/// Keeps a course's last build in memory and rebuilds only what a change needs.
#[derive(Default)]
pub struct Compiler {
    /// Bumped by every change taken in, so outputs built from an older state are dropped.
    version: u64,
    files: Files,
    cache: Option<Cache>,
    /// The last build without errors.
    site: Option<Site>,
    diagnostics: Vec<Diagnostic>,
}

/// What one [`Compiler::build`], [`Compiler::rebuild`] or [`Compiler::finish`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// How much was built.
    pub kind: BuildKind,
    /// Output paths whose bytes changed (added, rewritten or removed) in [`Compiler::site`].
    pub changed: BTreeSet<String>,
    /// True when the course-wide outputs are out of date and can be rebuilt (the course has
    /// no error): call [`Compiler::finish`].
    pub pending: bool,
}

/// How much a build did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildKind {
    /// The whole pipeline ran.
    Full,
    /// Only these many pages had their Markdown rendered again.
    Pages(usize),
    /// The course-wide outputs (search index, printable version…) were rebuilt.
    CourseWide,
    /// Nothing needed building.
    Nothing,
}

/// What a set of changed inputs needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Run the whole pipeline.
    Full,
    /// Render these pages again (sources relative to `content/`) and copy these content files
    /// again (paths relative to `content/`).
    Edits {
        /// Edited pages.
        pages: Vec<String>,
        /// Content files edited in place.
        assets: Vec<String>,
    },
}

/// How a page changed, compared with the last build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageEdit {
    /// Only its body: only its own HTML page shows it (course-wide outputs aside).
    Body,
    /// Its title, description, duration or objectives, which other pages show.
    FrontMatter,
    /// Its place: weight, `nav`, slug or kind, which move pages around: a full build.
    Structure,
}

/// The HTML pages (besides the edited page) that show what an edit changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Showing {
    /// Course pages, by index into [`Course::pages`].
    pub pages: BTreeSet<usize>,
    /// The home page, the 404 page and « Nouveautés ».
    pub home: bool,
}

/// Decide what `changes` need. `is_page(source)`: the page is in the last build and still
/// exists; `is_asset(path)`: the content file was in the last build and still exists.
pub fn plan_rebuild(
    changes: &[InputChange],
    is_page: impl Fn(&str) -> bool,
    is_asset: impl Fn(&str) -> bool,
) -> Plan {
    let mut pages = Vec::new();
    let mut assets = Vec::new();
    for change in changes {
        match change {
            InputChange::Ignored => {}
            InputChange::Page(source) if is_page(source) => {
                if !pages.contains(source) {
                    pages.push(source.clone());
                }
            }
            InputChange::Asset(path) if is_asset(path) => {
                if !assets.contains(path) {
                    assets.push(path.clone());
                }
            }
            // Added or removed pages and files change links, order and navigation; book.toml,
            // the theme and data files reach every page.
            InputChange::Page(_)
            | InputChange::Asset(_)
            | InputChange::Config
            | InputChange::Data(_)
            | InputChange::Theme
            | InputChange::Everything => return Plan::Full,
        }
    }
    Plan::Edits { pages, assets }
}

/// How page `new` (parsed alone) differs from `old`, its version in the last build.
pub fn classify_edit(old: &Page, new: &Page) -> PageEdit {
    let (a, b) = (&old.front, &new.front);
    if old.slug != new.slug
        || old.is_module_index != new.is_module_index
        || a.weight != b.weight
        || old.in_nav() != new.in_nav()
    {
        PageEdit::Structure
    } else if a.title != b.title
        || a.description != b.description
        || a.duration != b.duration
        || a.objectives != b.objectives
    {
        PageEdit::FrontMatter
    } else {
        PageEdit::Body
    }
}

/// The pages that show the front matter of page `page`: its title in its module's sidebar,
/// in prev/next links, in breadcrumbs, on its module's page; and the home page, which also
/// writes the top-level entries of every other page's sidebar (`assets/nav.js`). `order` is
/// the reading order ([`Course::reading_order`]).
pub fn pages_showing(course: &Course, order: &[usize], page: usize) -> Showing {
    let mut pages = BTreeSet::new();
    if let Some(m) = course.pages[page].module {
        let module = &course.modules[m];
        pages.insert(module.index_page);
        pages.extend(module.pages.iter().copied());
    }
    if let Some(position) = order.iter().position(|&p| p == page) {
        pages.extend(position.checked_sub(1).map(|p| order[p]));
        pages.extend(order.get(position + 1).copied());
    }
    pages.remove(&page);
    Showing { pages, home: true }
}

impl Compiler {
    /// A compiler that has built nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The file table the diagnostics point into.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// Every problem of the last build, in the order `compile` reports them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Number of errors of the last build.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The last site built without errors, if any.
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// Every `http://` or `https://` link of the course with where it is written, in course
    /// order (for `didact check --external`; nothing here touches the network).
    pub fn external_links(&self) -> Vec<(String, Span)> {
        let Some(cache) = &self.cache else {
            return Vec::new();
        };
        cache
            .rendered
            .iter()
            .flat_map(|page| &page.links)
            .filter_map(|link| match &link.target {
                didact_markdown::LinkTarget::External(url)
                    if url.starts_with("http://") || url.starts_with("https://") =>
                {
                    Some((url.clone(), link.span))
                }
                _ => None,
            })
            .collect()
    }

    /// The result of the last build, as [`crate::compile`] returns it (no site when it failed).
    pub fn into_result(self) -> BuildResult {
        let failed = self.diagnostics.iter().any(Diagnostic::is_error);
        BuildResult {
            diagnostics: self.diagnostics,
            files: self.files,
            site: if failed { None } else { self.site },
        }
    }

    /// Run the whole pipeline on `inputs`, everything included.
    pub fn build(&mut self, inputs: &Inputs) -> Update {
        self.version += 1;
        self.files = Files::new();
        self.cache = None;
        let (cache, diagnostics) = load(inputs, &mut self.files, true);
        self.cache = cache;
        self.diagnostics = diagnostics;
        let Some(cache) = &mut self.cache else {
            return Update {
                kind: BuildKind::Full,
                changed: BTreeSet::new(),
                pending: false,
            };
        };
        cache.stale.fresh = true;
        let mut res = self.render(inputs);
        res.kind = BuildKind::Full;
        res
    }

    /// Run the whole pipeline on `inputs` like [`Self::build`], but write every output into
    /// `dir` as soon as it is rendered instead of keeping the site in memory: `didact build`,
    /// which so holds a course of thousands of pages in a fraction of the memory. The same
    /// outputs as [`Self::build`], byte for byte.
    ///
    /// Returns what was written, or `None` when the course has errors (see
    /// [`Self::diagnostics`]). Either way `dir` may hold part of a site: it is the caller's to
    /// delete or swap in. Nothing of the build is kept but its diagnostics: [`Self::site`] is
    /// `None` and the next [`Self::rebuild`] is a full build.
    pub fn build_into(&mut self, inputs: &Inputs, dir: &Path) -> anyhow::Result<Option<Written>> {
        self.version += 1;
        self.files = Files::new();
        self.cache = None;
        self.site = None;
        // The search sections are rendered again once the pages' HTML is gone.
        let (cache, diagnostics) = load(inputs, &mut self.files, false);
        self.cache = cache;
        self.diagnostics = diagnostics;
        let Some(cache) = &mut self.cache else {
            return Ok(None);
        };
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            // Loaded without its search sections: not a cache to rebuild from.
            self.cache = None;
            return Ok(None);
        }
        cache.slim();
        let folder = Folder::new(dir);
        let rendered = cache.render_outputs(true, true, &folder, true);
        if rendered.is_ok() {
            let assets: Vec<(String, &[u8])> = assets(inputs).collect();
            assets
                .par_iter()
                .for_each(|(path, bytes)| folder.copy(path, bytes));
        }
        let finished = folder.finish();
        let written = match (finished, rendered) {
            (Err(error), _) => {
                self.cache = None;
                return Err(error);
            }
            (Ok(_), Err(problem)) => {
                cache.render_problem = Some(problem);
                None
            }
            (Ok((written, out_links)), Ok(())) => {
                cache.out_links = out_links;
                cache.stale.reach = true;
                cache.check_reach(&self.files);
                Some(written)
            }
        };
        self.diagnostics = cache.diagnostics(&self.files);
        // Its pages' HTML went into the printable version: the next build starts afresh.
        self.cache = None;
        Ok(written)
    }

    /// Bring the build up to date with `inputs` after `changes` (see [`crate::incremental`]),
    /// rebuilding only what they need. Course-wide outputs may be left for [`Self::finish`].
    pub fn rebuild(&mut self, inputs: &Inputs, changes: &[InputChange]) -> Update {
        let Some(cache) = &self.cache else {
            return self.build(inputs);
        };
        let plan = plan_rebuild(
            changes,
            |source| {
                cache.course.page_by_source(source).is_some()
                    && inputs.pages.iter().any(|(p, _)| p == source)
            },
            |path| {
                let output = didact_markdown::asset_output_path(path);
                self.site
                    .as_ref()
                    .is_some_and(|s| s.files.contains_key(&output))
                    && inputs.assets.iter().any(|(p, _)| p == path)
            },
        );
        let Plan::Edits { pages, assets } = plan else {
            return self.build(inputs);
        };
        if pages.is_empty() && assets.is_empty() {
            return Update {
                kind: BuildKind::Nothing,
                changed: BTreeSet::new(),
                pending: self.cache.as_ref().is_some_and(|c| c.stale.course_wide)
                    && !self.diagnostics.iter().any(Diagnostic::is_error),
            };
        }
        self.version += 1;
        for source in &pages {
            let text = inputs
                .pages
                .iter()
                .find(|(p, _)| p == source)
                .map(|(_, text)| text)
                .expect("the plan only keeps pages that exist");
            let cache = self.cache.as_mut().expect("checked above");
            if update_page(cache, &mut self.files, source, text, &inputs.data).is_err() {
                return self.build(inputs);
            }
        }
        let cache = self.cache.as_mut().expect("checked above");
        cache.stale.assets.extend(assets);
        let mut res = self.render(inputs);
        res.kind = BuildKind::Pages(pages.len());
        res
    }

    /// Rebuild the course-wide outputs left out of date by [`Self::rebuild`], here and now.
    pub fn finish(&mut self) -> Update {
        match self.course_wide_job() {
            Some(job) => self.apply_course_wide(job.run()),
            None => Update {
                kind: BuildKind::Nothing,
                changed: BTreeSet::new(),
                pending: false,
            },
        }
    }

    /// True when the course-wide outputs are out of date and can be rebuilt.
    pub fn course_wide_pending(&self) -> bool {
        self.cache.as_ref().is_some_and(|c| c.stale.course_wide)
            && !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The course-wide outputs left out of date, as a job that may run on another thread
    /// while the compiler takes more changes; `None` when they are up to date or the course
    /// has errors. Hand its outputs back with [`Self::apply_course_wide`].
    pub fn course_wide_job(&self) -> Option<CourseWideJob> {
        if !self.course_wide_pending() {
            return None;
        }
        let cache = self.cache.as_ref()?;
        Some(CourseWideJob {
            version: self.version,
            // The page texts are shared (`Arc`), not copied.
            course: cache.course.clone(),
            rendered: cache.rendered.clone(),
            shared: Arc::clone(&cache.shared),
            templates: Arc::clone(&cache.templates),
            base: cache.base.clone(),
            quizzes: cache.pages.iter().flat_map(|p| p.quizzes.clone()).collect(),
            exercises: cache
                .pages
                .iter()
                .flat_map(|p| p.exercises.clone())
                .collect(),
        })
    }

    /// Swap in the outputs of a [`CourseWideJob`]; they are dropped (and `pending` stays true)
    /// when the course changed since the job started.
    pub fn apply_course_wide(&mut self, outputs: CourseWideOutputs) -> Update {
        let nothing = |pending| Update {
            kind: BuildKind::Nothing,
            changed: BTreeSet::new(),
            pending,
        };
        let current =
            outputs.version == self.version && !self.diagnostics.iter().any(Diagnostic::is_error);
        let Some(cache) = self.cache.as_mut().filter(|_| current) else {
            return nothing(self.cache.as_ref().is_some_and(|c| c.stale.course_wide));
        };
        match outputs.result {
            Err(problem) => {
                cache.render_problem = Some(problem);
                self.diagnostics = cache.diagnostics(&self.files);
                nothing(false)
            }
            Ok(outputs) => {
                let mut res = self.apply(outputs, None, true);
                res.kind = BuildKind::CourseWide;
                res
            }
        }
    }

    /// Render what is stale, when the course has no error; a fresh render also renders the
    /// outputs that embed every page (otherwise left to [`Self::finish`]).
    fn render(&mut self, inputs: &Inputs) -> Update {
        let cache = self.cache.as_mut().expect("render needs a loaded course");
        cache.render_problem = None;
        self.diagnostics = cache.diagnostics(&self.files);
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            // Nothing can be rendered until the errors are fixed; the next build does it.
            return Update {
                kind: BuildKind::Nothing,
                changed: BTreeSet::new(),
                pending: false,
            };
        }
        let fresh = cache.stale.fresh;
        let course_wide = fresh;
        let sink = Collect::default();
        match cache
            .render_outputs(fresh, course_wide, &sink, false)
            .map(|()| sink.into_outputs())
        {
            Err(problem) => {
                cache.render_problem = Some(problem);
                self.diagnostics = cache.diagnostics(&self.files);
                Update {
                    kind: BuildKind::Nothing,
                    changed: BTreeSet::new(),
                    pending: false,
                }
            }
            Ok(mut outputs) => {
                if !fresh {
                    let assets = std::mem::take(&mut cache.stale.assets);
                    outputs.extend(assets.into_iter().filter_map(|path| {
                        let (_, bytes) = inputs.assets.iter().find(|(p, _)| *p == path)?;
                        Some((didact_markdown::asset_output_path(&path), bytes.clone()))
                    }));
                }
                self.apply(outputs, fresh.then_some(inputs), course_wide)
            }
        }
    }

    /// Put rendered `outputs` in the site (a new site from them and `fresh` inputs' files, or
    /// the last one patched), recording what changed; `course_wide` when they include the
    /// course-wide outputs, which brings the reachability check up to date.
    fn apply(
        &mut self,
        outputs: Vec<(String, Vec<u8>)>,
        fresh: Option<&Inputs>,
        course_wide: bool,
    ) -> Update {
        let cache = self.cache.as_mut().expect("apply needs a loaded course");
        let mut changed = BTreeSet::new();
        for (path, bytes) in &outputs {
            if path.ends_with(".html") {
                let links = crate::reach::page_links(path, bytes);
                if cache.out_links.get(path) != Some(&links) {
                    cache.stale.reach = true;
                    cache.out_links.insert(path.clone(), links);
                }
            }
        }
        if let Some(inputs) = fresh {
            let mut site = Site {
                pages_written: outputs.iter().filter(|(p, _)| p.ends_with(".html")).count(),
                files: outputs.into_iter().collect(),
            };
            site.files
                .extend(assets(inputs).map(|(path, bytes)| (path, bytes.to_vec())));
            changed = match &self.site {
                Some(old) => changed_outputs(old, &site),
                None => site.files.keys().cloned().collect(),
            };
            self.site = Some(site);
        } else {
            let site = self.site.as_mut().expect("only a fresh render has no site");
            for (path, bytes) in outputs {
                if site.files.get(&path) != Some(&bytes) {
                    changed.insert(path.clone());
                    site.files.insert(path, bytes);
                }
            }
        }
        if course_wide {
            cache.check_reach(&self.files);
        }
        if fresh.is_some() {
            cache.stale.fresh = false;
            cache.stale.assets.clear();
        }
        if fresh.is_some() || !course_wide {
            cache.stale.pages.clear();
            cache.stale.home = false;
        }
        if course_wide {
            cache.stale.course_wide = false;
        }
        self.diagnostics = cache.diagnostics(&self.files);
        Update {
            kind: BuildKind::Nothing,
            changed,
            pending: cache.stale.course_wide,
        }
    }
}

/// The course-wide outputs (special pages, search index) of one state of the course, to build
/// apart from the [`Compiler`], e.g. on another thread.
pub struct CourseWideJob {
    version: u64,
    course: Course,
    rendered: Vec<Arc<RenderedPage>>,
    shared: Arc<Shared>,
    templates: Arc<Templates>,
    base: tera::Context,
    quizzes: Vec<QuizInfo>,
    exercises: Vec<ExerciseInfo>,
}

/// What a [`CourseWideJob`] built.
pub struct CourseWideOutputs {
    version: u64,
    result: Result<Vec<(String, Vec<u8>)>, Diagnostic>,
}

impl CourseWideJob {
    /// Build the outputs (the slow part: every page's text goes through them).
    pub fn run(self) -> CourseWideOutputs {
        let quizzes: Vec<&QuizInfo> = self.quizzes.iter().collect();
        let exercises: Vec<&ExerciseInfo> = self.exercises.iter().collect();
        let sink = Collect::default();
        let result = render_course_wide(
            &self.course,
            &self.rendered,
            &self.shared,
            &self.templates,
            &self.base,
            &quizzes,
            &exercises,
            &sink,
        );
        CourseWideOutputs {
            version: self.version,
            result: result.map(|()| sink.into_outputs()),
        }
    }
}

/// The special pages and the search index, into `sink`.
#[allow(clippy::too_many_arguments)]
fn render_course_wide(
    course: &Course,
    rendered: &[Arc<RenderedPage>],
    shared: &Shared,
    templates: &Templates,
    base: &tera::Context,
    quizzes: &[&QuizInfo],
    exercises: &[&ExerciseInfo],
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    render_special_pages(
        course,
        shared,
        templates,
        base,
        quizzes,
        exercises,
        PrintContents::Copy(rendered),
        sink,
    )?;
    write_search_index(course, rendered, quizzes, exercises, sink)
}

/// Build the search index and write it into `sink`.
fn write_search_index(
    course: &Course,
    rendered: &[Arc<RenderedPage>],
    quizzes: &[&QuizInfo],
    exercises: &[&ExerciseInfo],
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    let index = build_search_index(course, rendered, quizzes, exercises);
    sink.put_with(SEARCH_INDEX, &mut |mut out| {
        // A failure of the file is the sink's to report (see `Sink::put_with`); any other
        // one is a bug, reported rather than leaving a truncated index.
        index.write_script(&mut out).map_err(|error| {
            Diagnostic::error(
                "search-index",
                format!("the search index could not be written: {error}"),
                Span::file_start(FileId(0)),
            )
        })
    })
}

/// The search index's output path.
const SEARCH_INDEX: &str = "assets/search-index.js";

/// Everything kept between builds.
struct Cache {
    config: Config,
    course: Course,
    /// Source path → output URL of every page with a source.
    urls: HashMap<String, String>,
    /// Each page's Markdown, widgets substituted, widget links appended.
    /// One `Arc` per page, so a running [`CourseWideJob`] shares them and an edit meanwhile
    /// replaces one page, never copies the course.
    rendered: Vec<Arc<RenderedPage>>,
    pages: Vec<PageState>,
    /// Problems no page edit changes: book.toml, the course's shape, templates, changelog.
    fixed: Vec<Diagnostic>,
    templates: Arc<Templates>,
    base: tera::Context,
    shared: Arc<Shared>,
    releases: Vec<Release>,
    /// Content files and data files, for link checks.
    asset_paths: Vec<String>,
    scenario_files: HashMap<String, FileId>,
    /// `anchor_linkers[j]`: the pages linking to an anchor of page `j`.
    anchor_linkers: Vec<BTreeSet<usize>>,
    /// Output page → the output pages it links to.
    out_links: HashMap<String, Vec<String>>,
    /// The reachability warnings of the last course-wide render.
    reach: Vec<Diagnostic>,
    /// The template failure of the last render, if any.
    render_problem: Option<Diagnostic>,
    stale: Stale,
}

/// What one page contributes besides its rendered Markdown.
#[derive(Default)]
struct PageState {
    /// Front matter and file-name problems.
    front_diagnostics: Vec<Diagnostic>,
    /// Markdown and widget problems.
    diagnostics: Vec<Diagnostic>,
    link_diagnostics: Vec<Diagnostic>,
    /// The pages whose anchors its links point at.
    anchor_targets: Vec<usize>,
    quizzes: Vec<QuizInfo>,
    exercises: Vec<ExerciseInfo>,
    claims: Vec<(String, Span)>,
}

/// Outputs not rendered since their inputs changed.
#[derive(Default)]
struct Stale {
    /// Everything: the site is built anew.
    fresh: bool,
    pages: BTreeSet<usize>,
    /// Home, 404 and « Nouveautés ».
    home: bool,
    /// Special pages, the search index and the reachability check.
    course_wide: bool,
    /// Content files edited in place (paths relative to `content/`).
    assets: BTreeSet<String>,
    /// The links between output pages changed since the last reachability check.
    reach: bool,
}

/// Diagnostic codes of `load_course` about the course's shape rather than one page.
const SHAPE_CODES: &[&str] = &["module-missing-index", "content-duplicate-slug"];

/// Run every step up to rendering; `None` when the config or the templates are unusable.
/// `keep_sections`: keep each page's search sections (see [`Cache::slim`]).
fn load(
    inputs: &Inputs,
    files: &mut Files,
    keep_sections: bool,
) -> (Option<Cache>, Vec<Diagnostic>) {
    let mut fixed = Vec::new();

    // 1. Config.
    let book = files.add("book.toml", inputs.book_toml.clone());
    let (config, mut problems) = didact_config::parse_config(&files.get(book).text, book);
    fixed.append(&mut problems);

    // 2. Course model.
    let sources: Vec<SourcePage> = inputs
        .pages
        .iter()
        .map(|(path, text)| {
            let file = files.add(format!("content/{path}"), Arc::clone(text));
            SourcePage {
                path: path.clone(),
                file,
                text: Arc::clone(text),
            }
        })
        .collect();
    let Some(config) = config else {
        return (None, fixed);
    };
    let (course, problems) = load_course(&config, sources);
    let mut pages: Vec<PageState> = course.pages.iter().map(|_| PageState::default()).collect();
    let page_of_file: HashMap<FileId, usize> = course
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.source.is_empty())
        .map(|(i, p)| (p.file, i))
        .collect();
    for problem in problems {
        match page_of_file.get(&problem.span.file) {
            Some(&i) if !SHAPE_CODES.contains(&problem.code) => {
                pages[i].front_diagnostics.push(problem)
            }
            _ => fixed.push(problem),
        }
    }

    // 3. Markdown, in parallel.
    let urls: HashMap<String, String> = course
        .pages
        .iter()
        .filter(|p| !p.source.is_empty())
        .map(|p| (p.source.clone(), p.url.clone()))
        .collect();
    let markdown: Vec<(RenderedPage, Vec<Diagnostic>)> = course
        .pages
        .par_iter()
        .map(|page| {
            let (mut rendered, problems) = render_markdown(page, &urls);
            if !keep_sections {
                rendered.sections = Vec::new();
            }
            (rendered, problems)
        })
        .collect();
    let mut rendered = Vec::with_capacity(markdown.len());
    for (state, (page, problems)) in pages.iter_mut().zip(markdown) {
        state.diagnostics = problems;
        rendered.push(page);
    }

    // 4. Templates.
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
            fixed.append(&mut problems);
            None
        }
    };
    let course_ctx = CourseContext::new(&config, render_fragment(&config.course.description));
    let mut base = tera::Context::new();
    base.insert("course", &course_ctx);
    // The footer links « Nouveautés » only when the course keeps a changelog.
    base.insert(
        "has_changes",
        &inputs
            .data
            .iter()
            .any(|(path, _)| path == crate::changelog::CHANGELOG_SOURCE),
    );

    // 5. Directives → widgets.
    let mut scenario_files = HashMap::new();
    for (i, page) in course.pages.iter().enumerate() {
        render_widgets(
            &config,
            page,
            &mut rendered[i],
            &mut pages[i],
            &urls,
            WidgetInputs {
                files,
                data: &inputs.data,
                templates: templates.as_ref(),
                base: &base,
                scenario_files: &mut scenario_files,
            },
        );
    }

    let rendered: Vec<Arc<RenderedPage>> = rendered.into_iter().map(Arc::new).collect();

    // 6. Checks across pages: links, anchors, files.
    let asset_paths: Vec<String> = inputs
        .assets
        .iter()
        .map(|(p, _)| p.clone())
        .chain(inputs.data.iter().map(|(p, _)| p.clone()))
        .collect();
    let mut anchor_linkers = vec![BTreeSet::new(); course.pages.len()];
    {
        let index = PageIndex::new(&course);
        let assets: Vec<&str> = asset_paths.iter().map(String::as_str).collect();
        for i in 0..course.pages.len() {
            pages[i].link_diagnostics = check_page_links(&course, &rendered, &index, i, &assets);
            pages[i].anchor_targets = anchor_targets(&rendered[i], &index);
            for &target in &pages[i].anchor_targets {
                anchor_linkers[target].insert(i);
            }
        }
    }
    let (releases, mut problems) =
        crate::changelog::parse_changelog(&inputs.data, files, &config.course.version);
    fixed.append(&mut problems);

    let Some(templates) = templates else {
        let mut diagnostics = fixed;
        for page in &pages {
            diagnostics.extend(page.front_diagnostics.iter().cloned());
            diagnostics.extend(page.diagnostics.iter().cloned());
            diagnostics.extend(page.link_diagnostics.iter().cloned());
        }
        diagnostics.extend(check_duplicate_ids(
            pages.iter().flat_map(|p| &p.claims),
            files,
        ));
        didact_diag::sort(&mut diagnostics, files);
        diagnostics.dedup();
        return (None, diagnostics);
    };
    let cache = Cache {
        shared: Arc::new(Shared::new(&course)),
        config,
        course,
        urls,
        rendered,
        pages,
        fixed,
        templates: Arc::new(templates),
        base,
        releases,
        asset_paths,
        scenario_files,
        anchor_linkers,
        out_links: HashMap::new(),
        reach: Vec::new(),
        render_problem: None,
        stale: Stale::default(),
    };
    let diagnostics = cache.diagnostics(files);
    (Some(cache), diagnostics)
}

/// Not a course page of the last build any more, or moved: the caller runs a full build.
struct NeedsFullBuild;

/// Take the new `text` of page `source` into the cache and mark what shows it as stale.
fn update_page(
    cache: &mut Cache,
    files: &mut Files,
    source: &str,
    text: &Arc<str>,
    data: &[(String, String)],
) -> Result<(), NeedsFullBuild> {
    let i = cache.course.page_by_source(source).ok_or(NeedsFullBuild)?;
    // The file table only grows: the new text gets a new id, the old one stays for old spans.
    let file = files.add(format!("content/{source}"), Arc::clone(text));
    // Parsed alone, a page gets the same front matter, slug and body as in the whole course.
    let (alone, problems) = load_course(
        &cache.config,
        vec![SourcePage {
            path: source.to_string(),
            file,
            text: Arc::clone(text),
        }],
    );
    let new_page = alone
        .pages
        .into_iter()
        .find(|p| p.source == source)
        .ok_or(NeedsFullBuild)?;
    let edit = classify_edit(&cache.course.pages[i], &new_page);
    if edit == PageEdit::Structure {
        return Err(NeedsFullBuild);
    }
    let page = &mut cache.course.pages[i];
    page.file = file;
    page.front = new_page.front;
    page.text = new_page.text;
    page.body_offset = new_page.body_offset;
    cache.pages[i].front_diagnostics = problems
        .into_iter()
        .filter(|d| d.span.file == file && !SHAPE_CODES.contains(&d.code))
        .collect();

    // Markdown and widgets of this page only.
    let (mut rendered, problems) = render_markdown(&cache.course.pages[i], &cache.urls);
    let mut state = PageState {
        front_diagnostics: std::mem::take(&mut cache.pages[i].front_diagnostics),
        diagnostics: problems,
        ..PageState::default()
    };
    render_widgets(
        &cache.config,
        &cache.course.pages[i],
        &mut rendered,
        &mut state,
        &cache.urls,
        WidgetInputs {
            files,
            data,
            templates: Some(&*cache.templates),
            base: &cache.base,
            scenario_files: &mut cache.scenario_files,
        },
    );
    cache.rendered[i] = Arc::new(rendered);

    // Its links, and the links pointing at its anchors.
    let index = PageIndex::new(&cache.course);
    let assets: Vec<&str> = cache.asset_paths.iter().map(String::as_str).collect();
    for &target in &cache.pages[i].anchor_targets {
        cache.anchor_linkers[target].remove(&i);
    }
    state.anchor_targets = anchor_targets(&cache.rendered[i], &index);
    for &target in &state.anchor_targets {
        cache.anchor_linkers[target].insert(i);
    }
    cache.pages[i] = state;
    let linkers: Vec<usize> = cache.anchor_linkers[i].iter().copied().collect();
    for j in std::iter::once(i).chain(linkers) {
        cache.pages[j].link_diagnostics =
            check_page_links(&cache.course, &cache.rendered, &index, j, &assets);
    }

    // What shows it.
    cache.stale.pages.insert(i);
    cache.stale.course_wide = true;
    if edit == PageEdit::FrontMatter {
        cache.shared = Arc::new(Shared::new(&cache.course));
        let showing = pages_showing(&cache.course, &cache.shared.order, i);
        cache.stale.pages.extend(showing.pages);
        cache.stale.home |= showing.home;
    }
    Ok(())
}

/// Render page `page`'s Markdown body.
fn render_markdown(page: &Page, urls: &HashMap<String, String>) -> (RenderedPage, Vec<Diagnostic>) {
    let page_url = |source: &str| urls.get(source).cloned();
    let ctx = MarkdownContext {
        file: page.file,
        body_offset: page.body_offset,
        source: &page.source,
        page_url: &page_url,
        url: &page.url,
    };
    render_page(page.body(), &ctx)
}

/// What rendering a page's widgets reads and adds to, besides the page.
struct WidgetInputs<'a> {
    files: &'a mut Files,
    data: &'a [(String, String)],
    templates: Option<&'a Templates>,
    base: &'a tera::Context,
    scenario_files: &'a mut HashMap<String, FileId>,
}

/// Replace the directives of `rendered` by their widgets; record what they declare in `state`.
fn render_widgets(
    config: &Config,
    page: &Page,
    rendered: &mut RenderedPage,
    state: &mut PageState,
    urls: &HashMap<String, String>,
    inputs: WidgetInputs,
) {
    if rendered.directives.is_empty() {
        return;
    }
    let page_url = |source: &str| urls.get(source).cloned();
    let ctx = MarkdownContext {
        file: page.file,
        body_offset: page.body_offset,
        source: &page.source,
        page_url: &page_url,
        url: &page.url,
    };
    let mut widgets = Widgets::new(config);
    widgets.scenario_files = std::mem::take(inputs.scenario_files);
    for directive in &rendered.directives {
        let html = widgets.render(
            directive,
            &ctx,
            inputs.files,
            inputs.data,
            inputs.templates,
            inputs.base,
        );
        rendered.html = rendered.html.replacen(&directive.placeholder, &html, 1);
    }
    rendered.html.shrink_to_fit();
    rendered.links.append(&mut widgets.links);
    state.diagnostics.extend(widgets.finish());
    state.quizzes = std::mem::take(&mut widgets.quizzes);
    state.exercises = std::mem::take(&mut widgets.exercises);
    state.claims = std::mem::take(&mut widgets.claims);
    *inputs.scenario_files = std::mem::take(&mut widgets.scenario_files);
}

impl Cache {
    /// Every current problem, in `compile`'s order: sorted and deduplicated, then a template
    /// failure or the reachability warnings.
    fn diagnostics(&self, files: &Files) -> Vec<Diagnostic> {
        let mut res = self.fixed.clone();
        for page in &self.pages {
            res.extend(page.front_diagnostics.iter().cloned());
            res.extend(page.diagnostics.iter().cloned());
            res.extend(page.link_diagnostics.iter().cloned());
        }
        res.extend(check_duplicate_ids(
            self.pages.iter().flat_map(|p| &p.claims),
            files,
        ));
        didact_diag::sort(&mut res, files);
        // A scenario shared by several exercises is checked once per exercise: report it once.
        res.dedup();
        match &self.render_problem {
            Some(problem) => res.push(problem.clone()),
            None if !res.iter().any(Diagnostic::is_error) => res.extend(self.reach.iter().cloned()),
            None => {}
        }
        res
    }

    /// Render the stale HTML pages (all of them when `fresh`), and the course-wide outputs
    /// when `course_wide`, into `sink`; the first template failure (in course order) stops
    /// it, though `sink` may have taken outputs by then. `last`: this cache is dropped
    /// afterwards, so the pages' HTML is moved into the printable version rather than copied,
    /// and the cache cannot render again.
    fn render_outputs(
        &mut self,
        fresh: bool,
        course_wide: bool,
        sink: &dyn Sink,
        last: bool,
    ) -> Result<(), Diagnostic> {
        let pages: Vec<usize> = if fresh {
            (0..self.course.pages.len()).collect()
        } else {
            self.stale.pages.iter().copied().collect()
        };
        // Each page goes to the sink as soon as it is rendered; only failures are collected,
        // so the first one in course order is reported whatever the threads did.
        let results: Vec<Result<(), Diagnostic>> = pages
            .par_iter()
            .map(|&i| {
                if sink.failed() {
                    // The build has failed; the error is the sink's to report.
                    return Ok(());
                }
                let (path, bytes) = render_course_page(
                    &self.course,
                    &self.rendered[i],
                    i,
                    &self.shared,
                    &self.templates,
                    &self.base,
                    &self.config,
                )?;
                sink.put(&path, Cow::Owned(bytes));
                Ok(())
            })
            .collect();
        results.into_iter().collect::<Result<(), Diagnostic>>()?;
        if fresh || self.stale.home {
            for (path, bytes) in
                render_home_and_404(&self.course, &self.shared, &self.templates, &self.base)?
            {
                sink.put(&path, Cow::Owned(bytes));
            }
        }
        if course_wide {
            let quizzes: Vec<&QuizInfo> = self.pages.iter().flat_map(|p| &p.quizzes).collect();
            let exercises: Vec<&ExerciseInfo> =
                self.pages.iter().flat_map(|p| &p.exercises).collect();
            if last {
                // Each page's HTML moves into the printable version; then each page's
                // sections, dropped by `slim`, are rendered again for the search index.
                let contents = self
                    .rendered
                    .iter_mut()
                    .map(|page| std::mem::take(&mut Arc::make_mut(page).html))
                    .collect();
                render_special_pages(
                    &self.course,
                    &self.shared,
                    &self.templates,
                    &self.base,
                    &quizzes,
                    &exercises,
                    PrintContents::Moved(contents),
                    sink,
                )?;
                let urls = &self.urls;
                self.rendered
                    .par_iter_mut()
                    .zip(&self.course.pages)
                    .for_each(|(rendered, page)| {
                        Arc::make_mut(rendered).sections = render_markdown(page, urls).0.sections;
                    });
                write_search_index(&self.course, &self.rendered, &quizzes, &exercises, sink)?;
                self.slim();
            } else {
                render_course_wide(
                    &self.course,
                    &self.rendered,
                    &self.shared,
                    &self.templates,
                    &self.base,
                    &quizzes,
                    &exercises,
                    sink,
                )?;
            }
        }
        if fresh || self.stale.home {
            let nav = self
                .shared
                .nav
                .render(None, crate::changelog::CHANGES_PAGE, "");
            if let Some((path, bytes)) = crate::changelog::render_changes_page(
                &self.releases,
                &self.templates,
                &self.base,
                &nav,
            )? {
                sink.put(&path, Cow::Owned(bytes));
            }
        }
        Ok(())
    }

    /// Drop what only loading and checking read from the pages' rendered Markdown (links,
    /// directives) and the search sections (rendered again when the index is built, once the
    /// pages' HTML is gone): a build that renders once and drops the cache holds less.
    fn slim(&mut self) {
        for page in &mut self.rendered {
            let page = Arc::make_mut(page);
            page.sections = Vec::new();
            page.links = Vec::new();
            page.directives = Vec::new();
        }
    }

    /// Walk the links between the output pages again if they changed since the last walk.
    fn check_reach(&mut self, files: &Files) {
        if !self.stale.reach {
            return;
        }
        let out_links = &self.out_links;
        self.reach = crate::reach::check_reachable(
            &self.course,
            self.shared.nav.top_urls(),
            |url| out_links.get(url).map(Vec::as_slice),
            files,
        );
        self.stale.reach = false;
    }
}

/// The files copied as they are, with their output paths: theme static files, the runtime,
/// the course's content files.
fn assets(inputs: &Inputs) -> impl Iterator<Item = (String, &[u8])> {
    let theme = inputs.theme.iter().filter_map(|file| {
        let rel = file.path.strip_prefix("static/")?;
        Some((format!("assets/{rel}"), file.bytes.as_slice()))
    });
    let runtime = std::iter::once((
        "assets/didact-runtime.js".to_owned(),
        crate::RUNTIME_JS.as_bytes(),
    ));
    let content = inputs
        .assets
        .iter()
        .map(|(path, bytes)| (didact_markdown::asset_output_path(path), bytes.as_slice()));
    theme.chain(runtime).chain(content)
}

#[cfg(test)]
mod tests;
