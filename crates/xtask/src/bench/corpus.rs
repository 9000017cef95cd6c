//! A deterministic generator of realistic French course content, written in the source
//! formats of didact, mdBook, Zola and Hugo so that all four build the same work.
//!
//! Steps: 1. [`generate`] draws the course plan (modules, page titles, which pages carry a
//! quiz, an exercise or an image) and every page body from a seeded PRNG, 2. one writer per
//! tool ([`didact_files`], [`mdbook_files`], [`zola_files`], [`hugo_files`]) turns the plan into
//! `(relative path, contents)` pairs, with links, images and templates in that tool's
//! syntax, 3. [`write_files`] puts them on disk. Nothing here reads the clock or the
//! environment: the same options always give the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct CorpusOptions {
    /// Total number of pages, module index pages included (every tool renders each one).
    pub pages: usize,
    /// PRNG seed; the same seed gives the same course.
    pub seed: u64,
}

/// The generated course, independent of any tool's format.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Modules in order.
    pub modules: Vec<Module>,
}

/// One module: an index page and its pages.
#[derive(Debug, Clone)]
pub struct Module {
    /// 1-based position.
    pub number: usize,
    /// Slug without number prefix, e.g. `facturation-3`.
    pub slug: String,
    /// Title shown in navigation.
    pub title: String,
    /// The module's own page (its introduction).
    pub intro: Vec<Block>,
    /// Pages in order.
    pub pages: Vec<Page>,
}

/// One page of a module.
#[derive(Debug, Clone)]
pub struct Page {
    /// 1-based position inside its module.
    pub number: usize,
    /// Slug without number prefix, e.g. `deposer-une-facture-12`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Body, in order.
    pub blocks: Vec<Block>,
}

/// A page address inside the corpus: (module index, page index or `None` for the module page).
pub type PageRef = (usize, Option<usize>);

/// A tool-neutral piece of page body; each writer renders it in its tool's syntax.
#[derive(Debug, Clone)]
pub enum Block {
    /// `##` or `###` heading.
    Heading { level: u8, text: String },
    /// A paragraph of plain sentences, possibly ending with a link to another page.
    Paragraph {
        text: String,
        link: Option<(String, PageRef)>,
    },
    /// A bulleted (`ordered == false`) or numbered list.
    List { ordered: bool, items: Vec<String> },
    /// A table: header row then rows.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// An image from the shared images folder.
    Image { alt: String, file: String },
    /// A quiz (its YAML spec); didact renders it as a widget, the others as a code block.
    Quiz { yaml: String },
    /// A simulator exercise (its YAML spec); didact renders it as a widget, the others as a
    /// code block.
    Exercise { yaml: String },
}

/// Number of pages per module, index page included.
pub const PAGES_PER_MODULE: usize = 20;
/// Number of distinct images shared by the pages.
pub const N_IMAGES: usize = 8;
/// Every how many pages a quiz appears.
pub const QUIZ_EVERY: usize = 4;
/// Every how many pages an exercise appears.
pub const EXERCISE_EVERY: usize = 15;
/// Every how many pages an image appears.
pub const IMAGE_EVERY: usize = 3;

/// Generate the course plan and every page body.
pub fn generate(options: CorpusOptions) -> Corpus {
    let mut rng = Rng::new(options.seed);
    let n_modules = options.pages.div_ceil(PAGES_PER_MODULE).max(1);
    // Page counts per module (each module has its index page plus `count` pages).
    let mut remaining = options.pages.max(n_modules);
    let mut counts = Vec::with_capacity(n_modules);
    for module_idx in 0..n_modules {
        let modules_left = n_modules - module_idx;
        let here = (remaining - (modules_left - 1)).min(PAGES_PER_MODULE);
        counts.push(here - 1);
        remaining -= here;
    }
    let mut modules: Vec<Module> = counts
        .iter()
        .enumerate()
        .map(|(module_idx, &count)| {
            let topic = MODULE_TOPICS[module_idx % MODULE_TOPICS.len()];
            let module_number = module_idx + 1;
            Module {
                number: module_number,
                slug: format!("{}-{module_number}", slugify(topic)),
                title: format!("{topic} ({module_number})"),
                intro: Vec::new(),
                pages: (0..count)
                    .map(|page_idx| {
                        let subject = PAGE_SUBJECTS[rng.below(PAGE_SUBJECTS.len())];
                        let page_number = page_idx + 1;
                        Page {
                            number: page_number,
                            slug: format!("{}-{module_number}-{page_number}", slugify(subject)),
                            title: format!("{subject} ({module_number}.{page_number})"),
                            blocks: Vec::new(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();

    // Every page address, in reading order, for choosing link targets.
    let all_refs: Vec<PageRef> = modules
        .iter()
        .enumerate()
        .flat_map(|(module_idx, module)| {
            std::iter::once((module_idx, None))
                .chain((0..module.pages.len()).map(move |page_idx| (module_idx, Some(page_idx))))
        })
        .collect();
    let titles: Vec<String> = all_refs
        .iter()
        .map(|&(module_idx, page_idx)| match page_idx {
            None => modules[module_idx].title.clone(),
            Some(page_idx) => modules[module_idx].pages[page_idx].title.clone(),
        })
        .collect();

    for (global_idx, &(module_idx, page_idx)) in all_refs.iter().enumerate() {
        let blocks = match page_idx {
            None => module_intro(&mut rng, &all_refs, &titles, global_idx),
            Some(_) => page_body(&mut rng, &all_refs, &titles, global_idx),
        };
        match page_idx {
            None => modules[module_idx].intro = blocks,
            Some(page_idx) => modules[module_idx].pages[page_idx].blocks = blocks,
        }
    }
    Corpus { modules }
}

impl Corpus {
    /// Number of pages, module index pages included.
    pub fn page_count(&self) -> usize {
        self.modules
            .iter()
            .map(|module| 1 + module.pages.len())
            .sum()
    }

    /// Every page address in reading order.
    pub fn page_refs(&self) -> Vec<PageRef> {
        self.modules
            .iter()
            .enumerate()
            .flat_map(|(module_idx, module)| {
                std::iter::once((module_idx, None)).chain(
                    (0..module.pages.len()).map(move |page_idx| (module_idx, Some(page_idx))),
                )
            })
            .collect()
    }

    /// A page near the middle of the course that holds a quiz: the page the browser
    /// measurements open and the incremental measurement edits.
    pub fn probe_page(&self) -> PageRef {
        let refs = self.page_refs();
        let start = refs.len() / 2;
        refs.iter()
            .cycle()
            .skip(start)
            .take(refs.len())
            .copied()
            .find(|&(module_idx, page_idx)| {
                page_idx.is_some_and(|page_idx| {
                    self.modules[module_idx].pages[page_idx]
                        .blocks
                        .iter()
                        .any(|block| matches!(block, Block::Quiz { .. }))
                })
            })
            .unwrap_or(refs[start])
    }

    fn blocks(&self, (module_idx, page_idx): PageRef) -> &[Block] {
        match page_idx {
            None => &self.modules[module_idx].intro,
            Some(page_idx) => &self.modules[module_idx].pages[page_idx].blocks,
        }
    }
}

/// Number of words of running text in `blocks` (headings, paragraphs, list items, table cells).
pub fn word_count(blocks: &[Block]) -> usize {
    let words = |text: &str| text.split_whitespace().count();
    blocks
        .iter()
        .map(|block| match block {
            Block::Heading { text, .. } => words(text),
            Block::Paragraph { text, link } => {
                words(text) + link.as_ref().map_or(0, |(label, _)| words(label))
            }
            Block::List { items, .. } => items.iter().map(|item| words(item)).sum(),
            Block::Table { header, rows } => header
                .iter()
                .chain(rows.iter().flatten())
                .map(|cell| words(cell))
                .sum(),
            Block::Image { .. } | Block::Quiz { .. } | Block::Exercise { .. } => 0,
        })
        .sum()
}

/// The didact course: `book.toml`, `content/<NNN-module>/index.md`, pages, images, scenario.
pub fn didact_files(corpus: &Corpus) -> Vec<(String, String)> {
    let mut res = vec![("book.toml".to_string(), DIDACT_BOOK_TOML.to_string())];
    let dir = |module: &Module| format!("{:03}-{}", module.number, module.slug);
    let file = |page: &Page| format!("{:03}-{}.md", page.number, page.slug);
    let link = |from: PageRef, to: PageRef| {
        let module = &corpus.modules[to.0];
        let target = match to.1 {
            None => format!("{}/index.md", dir(module)),
            Some(page_idx) => format!("{}/{}", dir(module), file(&module.pages[page_idx])),
        };
        // Every page lives one folder deep, so `../` reaches `content/`.
        let _ = from;
        format!("../{target}")
    };
    let syntax = Syntax {
        link: &link,
        image: &|file: &str| format!("../images/{file}"),
        quiz: &|yaml: &str| format!("```quiz\n{yaml}```\n"),
        exercise: &|yaml: &str| format!("```exercice\n{yaml}```\n"),
    };
    for (module_idx, module) in corpus.modules.iter().enumerate() {
        let mut text = front_matter(&module.title, None);
        render_blocks(&mut text, corpus, (module_idx, None), &syntax);
        res.push((format!("content/{}/index.md", dir(module)), text));
        for (page_idx, page) in module.pages.iter().enumerate() {
            let mut text = front_matter(&page.title, None);
            render_blocks(&mut text, corpus, (module_idx, Some(page_idx)), &syntax);
            res.push((format!("content/{}/{}", dir(module), file(page)), text));
        }
    }
    for image_idx in 0..N_IMAGES {
        res.push((
            format!("content/images/{}", image_name(image_idx)),
            svg(image_idx),
        ));
    }
    res.push(("content/scenarios/bench.yaml".into(), SCENARIO_YAML.into()));
    res
}

/// The mdBook book: `book.toml`, `src/SUMMARY.md`, chapters, images.
pub fn mdbook_files(corpus: &Corpus) -> Vec<(String, String)> {
    let mut res = vec![("book.toml".to_string(), MDBOOK_BOOK_TOML.to_string())];
    let path = |to: PageRef| {
        let module = &corpus.modules[to.0];
        match to.1 {
            None => format!("{}/index.md", module.slug),
            Some(page_idx) => format!("{}/{}.md", module.slug, module.pages[page_idx].slug),
        }
    };
    let link = |_from: PageRef, to: PageRef| format!("../{}", path(to));
    let syntax = Syntax {
        link: &link,
        image: &|file: &str| format!("../images/{file}"),
        quiz: &|yaml: &str| format!("```yaml\n{yaml}```\n"),
        exercise: &|yaml: &str| format!("```yaml\n{yaml}```\n"),
    };
    let mut summary = String::from("# Sommaire\n\n");
    for (module_idx, module) in corpus.modules.iter().enumerate() {
        let _ = writeln!(
            summary,
            "- [{}]({})",
            module.title,
            path((module_idx, None))
        );
        let mut text = format!("# {}\n\n", module.title);
        render_blocks(&mut text, corpus, (module_idx, None), &syntax);
        res.push((format!("src/{}", path((module_idx, None))), text));
        for (page_idx, page) in module.pages.iter().enumerate() {
            let page_ref = (module_idx, Some(page_idx));
            let _ = writeln!(summary, "  - [{}]({})", page.title, path(page_ref));
            let mut text = format!("# {}\n\n", page.title);
            render_blocks(&mut text, corpus, page_ref, &syntax);
            res.push((format!("src/{}", path(page_ref)), text));
        }
    }
    res.push(("src/SUMMARY.md".into(), summary));
    for image_idx in 0..N_IMAGES {
        res.push((
            format!("src/images/{}", image_name(image_idx)),
            svg(image_idx),
        ));
    }
    res
}

/// The Zola site: `config.toml`, sections and pages under `content/`, minimal templates.
///
/// The navigation of all pages comes from `config.toml` (`[[extra.nav]]`: each module's title
/// and path, with its pages'), the way mdBook gets it from `SUMMARY.md`. Zola's own way,
/// `get_section` for each module in the page template, hands every call the section's pages with
/// their content: 35.2 s at 1 000 pages against 0.97 s from the data (Zola 0.17.2, this machine),
/// and a quarter of an hour at 5 000. The data is the faster of the two for Zola.
pub fn zola_files(corpus: &Corpus) -> Vec<(String, String)> {
    let mut config = String::from(ZOLA_CONFIG);
    config.push_str("\n[extra]\n");
    for module in &corpus.modules {
        let pages: Vec<String> = module
            .pages
            .iter()
            .map(|page| {
                format!(
                    "{{ title = {}, path = \"/{}/{}/\" }}",
                    toml_string(&page.title),
                    module.slug,
                    page.slug
                )
            })
            .collect();
        let _ = write!(
            config,
            "[[extra.nav]]\ntitle = {}\npath = \"/{}/\"\npages = [{}]\n",
            toml_string(&module.title),
            module.slug,
            pages.join(", ")
        );
    }
    let mut res = vec![
        ("config.toml".to_string(), config),
        ("templates/base.html".into(), ZOLA_BASE.into()),
        ("templates/index.html".into(), ZOLA_PAGE.into()),
        ("templates/section.html".into(), ZOLA_PAGE.into()),
        ("templates/page.html".into(), ZOLA_PAGE.into()),
        (
            "content/_index.md".into(),
            "+++\ntitle = \"Formation\"\nsort_by = \"weight\"\n+++\n".into(),
        ),
    ];
    let link = |_from: PageRef, to: PageRef| {
        let module = &corpus.modules[to.0];
        match to.1 {
            None => format!("@/{}/_index.md", module.slug),
            Some(page_idx) => format!("@/{}/{}.md", module.slug, module.pages[page_idx].slug),
        }
    };
    let syntax = Syntax {
        link: &link,
        image: &|file: &str| format!("/images/{file}"),
        quiz: &|yaml: &str| format!("```yaml\n{yaml}```\n"),
        exercise: &|yaml: &str| format!("```yaml\n{yaml}```\n"),
    };
    for (module_idx, module) in corpus.modules.iter().enumerate() {
        let mut text = format!(
            "+++\ntitle = \"{}\"\nweight = {}\nsort_by = \"weight\"\n+++\n\n",
            module.title, module.number
        );
        render_blocks(&mut text, corpus, (module_idx, None), &syntax);
        res.push((format!("content/{}/_index.md", module.slug), text));
        for (page_idx, page) in module.pages.iter().enumerate() {
            let mut text = format!(
                "+++\ntitle = \"{}\"\nweight = {}\n+++\n\n",
                page.title, page.number
            );
            render_blocks(&mut text, corpus, (module_idx, Some(page_idx)), &syntax);
            res.push((format!("content/{}/{}.md", module.slug, page.slug), text));
        }
    }
    for image_idx in 0..N_IMAGES {
        res.push((
            format!("static/images/{}", image_name(image_idx)),
            svg(image_idx),
        ));
    }
    res
}

/// The Hugo site: `config.toml`, sections and pages under `content/`, minimal layouts.
pub fn hugo_files(corpus: &Corpus) -> Vec<(String, String)> {
    let mut res = vec![
        ("config.toml".to_string(), HUGO_CONFIG.to_string()),
        ("layouts/_default/baseof.html".into(), HUGO_BASEOF.into()),
        ("layouts/_default/single.html".into(), HUGO_MAIN.into()),
        ("layouts/_default/list.html".into(), HUGO_MAIN.into()),
        ("layouts/index.html".into(), HUGO_MAIN.into()),
        (
            "content/_index.md".into(),
            "---\ntitle: \"Formation\"\n---\n".into(),
        ),
    ];
    let link = |_from: PageRef, to: PageRef| {
        let module = &corpus.modules[to.0];
        match to.1 {
            None => format!("/{}/", module.slug),
            Some(page_idx) => format!("/{}/{}/", module.slug, module.pages[page_idx].slug),
        }
    };
    let syntax = Syntax {
        link: &link,
        image: &|file: &str| format!("/images/{file}"),
        quiz: &|yaml: &str| format!("```yaml\n{yaml}```\n"),
        exercise: &|yaml: &str| format!("```yaml\n{yaml}```\n"),
    };
    for (module_idx, module) in corpus.modules.iter().enumerate() {
        let mut text = front_matter(&module.title, Some(module.number));
        render_blocks(&mut text, corpus, (module_idx, None), &syntax);
        res.push((format!("content/{}/_index.md", module.slug), text));
        for (page_idx, page) in module.pages.iter().enumerate() {
            let mut text = front_matter(&page.title, Some(page.number));
            render_blocks(&mut text, corpus, (module_idx, Some(page_idx)), &syntax);
            res.push((format!("content/{}/{}.md", module.slug, page.slug), text));
        }
    }
    for image_idx in 0..N_IMAGES {
        res.push((
            format!("static/images/{}", image_name(image_idx)),
            svg(image_idx),
        ));
    }
    res
}

/// Write `files` under `root` (which is emptied first).
pub fn write_files(root: &Path, files: &[(String, String)]) -> anyhow::Result<()> {
    if root.exists() {
        std::fs::remove_dir_all(root)
            .with_context(|| format!("failed to empty {}", root.display()))?;
    }
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("failed to create {}", parent.display()))?;
        }
        std::fs::write(&path, text)
            .with_context(|| format!("failed to write {}", path.display()))?;
    }
    Ok(())
}

/// How one tool writes links, images and widgets.
struct Syntax<'a> {
    link: &'a dyn Fn(PageRef, PageRef) -> String,
    image: &'a dyn Fn(&str) -> String,
    quiz: &'a dyn Fn(&str) -> String,
    exercise: &'a dyn Fn(&str) -> String,
}

fn render_blocks(out: &mut String, corpus: &Corpus, from: PageRef, syntax: &Syntax) {
    for block in corpus.blocks(from) {
        match block {
            Block::Heading { level, text } => {
                let _ = writeln!(out, "{} {text}\n", "#".repeat(usize::from(*level)));
            }
            Block::Paragraph { text, link } => {
                out.push_str(text);
                if let Some((label, to)) = link {
                    let _ = write!(out, " Voir aussi [{label}]({}).", (syntax.link)(from, *to));
                }
                out.push_str("\n\n");
            }
            Block::List { ordered, items } => {
                for (item_idx, item) in items.iter().enumerate() {
                    if *ordered {
                        let _ = writeln!(out, "{}. {item}", item_idx + 1);
                    } else {
                        let _ = writeln!(out, "- {item}");
                    }
                }
                out.push('\n');
            }
            Block::Table { header, rows } => {
                let _ = writeln!(out, "| {} |", header.join(" | "));
                let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
                for row in rows {
                    let _ = writeln!(out, "| {} |", row.join(" | "));
                }
                out.push('\n');
            }
            Block::Image { alt, file } => {
                let _ = writeln!(out, "![{alt}]({})\n", (syntax.image)(file));
            }
            Block::Quiz { yaml, .. } => {
                out.push_str(&(syntax.quiz)(yaml));
                out.push('\n');
            }
            Block::Exercise { yaml, .. } => {
                out.push_str(&(syntax.exercise)(yaml));
                out.push('\n');
            }
        }
    }
}

fn front_matter(title: &str, weight: Option<usize>) -> String {
    match weight {
        Some(weight) => format!("---\ntitle: \"{title}\"\nweight: {weight}\n---\n\n"),
        None => format!("---\ntitle: \"{title}\"\n---\n\n"),
    }
}

fn module_intro(
    rng: &mut Rng,
    refs: &[PageRef],
    titles: &[String],
    global_idx: usize,
) -> Vec<Block> {
    let mut res = vec![
        Block::Paragraph {
            text: paragraph(rng, 70, 110),
            link: None,
        },
        Block::Heading {
            level: 2,
            text: "Ce que vous allez apprendre".into(),
        },
        Block::List {
            ordered: false,
            items: (0..4).map(|_| sentence(rng)).collect(),
        },
        Block::Paragraph {
            text: paragraph(rng, 60, 100),
            link: Some(pick_link(rng, refs, titles, global_idx)),
        },
    ];
    while word_count(&res) < 600 {
        res.push(Block::Paragraph {
            text: paragraph(rng, 60, 110),
            link: None,
        });
    }
    res
}

fn page_body(rng: &mut Rng, refs: &[PageRef], titles: &[String], global_idx: usize) -> Vec<Block> {
    let target_words = 600 + rng.below(601);
    let mut res = vec![Block::Paragraph {
        text: paragraph(rng, 50, 90),
        link: None,
    }];
    let mut section = 0;
    while word_count(&res) + 120 < target_words {
        section += 1;
        res.push(Block::Heading {
            level: 2,
            text: format!("{} {section}", HEADINGS[rng.below(HEADINGS.len())]),
        });
        res.push(Block::Paragraph {
            text: paragraph(rng, 50, 100),
            link: None,
        });
        match section % 3 {
            1 => res.push(Block::List {
                ordered: rng.below(2) == 0,
                items: (0..3 + rng.below(3)).map(|_| sentence(rng)).collect(),
            }),
            2 => res.push(table(rng)),
            _ => {
                res.push(Block::Heading {
                    level: 3,
                    text: HEADINGS[rng.below(HEADINGS.len())].to_string(),
                });
                res.push(Block::Paragraph {
                    text: paragraph(rng, 40, 80),
                    link: Some(pick_link(rng, refs, titles, global_idx)),
                });
            }
        }
    }
    res.push(Block::Paragraph {
        text: paragraph(rng, 30, 60),
        link: Some(pick_link(rng, refs, titles, global_idx)),
    });
    // Trim or pad to the target length band (600 to 1 200 words of running text).
    while word_count(&res) > 1200 && res.len() > 2 {
        res.remove(res.len() - 2);
    }
    while word_count(&res) < 600 {
        res.push(Block::Paragraph {
            text: paragraph(rng, 40, 80),
            link: None,
        });
    }
    if global_idx.is_multiple_of(IMAGE_EVERY) {
        let image_idx = global_idx / IMAGE_EVERY % N_IMAGES;
        res.insert(
            2,
            Block::Image {
                alt: format!("Schéma {} : circuit de la facture", image_idx + 1),
                file: image_name(image_idx),
            },
        );
    }
    if global_idx.is_multiple_of(QUIZ_EVERY) {
        res.push(Block::Heading {
            level: 2,
            text: "Vérifiez vos connaissances".into(),
        });
        res.push(quiz(rng, global_idx));
    }
    if global_idx % EXERCISE_EVERY == 7 {
        res.push(Block::Heading {
            level: 2,
            text: "Exercice sur le simulateur".into(),
        });
        res.push(exercise(global_idx));
    }
    res
}

fn pick_link(
    rng: &mut Rng,
    refs: &[PageRef],
    titles: &[String],
    global_idx: usize,
) -> (String, PageRef) {
    // Mostly nearby pages (the previous or next lessons), sometimes anywhere in the course.
    let target = if rng.below(3) == 0 {
        rng.below(refs.len())
    } else {
        let offset = 1 + rng.below(5);
        if rng.below(2) == 0 {
            global_idx.saturating_sub(offset)
        } else {
            (global_idx + offset).min(refs.len() - 1)
        }
    };
    let target = if target == global_idx {
        (target + 1) % refs.len()
    } else {
        target
    };
    (titles[target].clone(), refs[target])
}

fn quiz(rng: &mut Rng, global_idx: usize) -> Block {
    let id = format!("quiz-p{global_idx}");
    let mut yaml = format!(
        "id: {id}\ntitle: \"Quiz : {}\"\nquestions:\n",
        PAGE_SUBJECTS[rng.below(PAGE_SUBJECTS.len())]
    );
    let correct = rng.below(3);
    let _ = writeln!(
        yaml,
        "  - id: {id}-q1\n    type: single\n    prompt: \"{}\"\n    choices:",
        question(rng)
    );
    for choice_idx in 0..3 {
        let _ = writeln!(yaml, "      - text: \"{}\"", short_phrase(rng));
        if choice_idx == correct {
            yaml.push_str("        correct: true\n");
        }
        let _ = writeln!(yaml, "        feedback: \"{}\"", sentence(rng));
    }
    let _ = writeln!(yaml, "    explanation: \"{}\"", sentence(rng));
    let _ = writeln!(
        yaml,
        "  - id: {id}-q2\n    type: true_false\n    prompt: \"{}\"\n    answer: {}",
        sentence(rng),
        rng.below(2) == 0
    );
    let _ = writeln!(
        yaml,
        "  - id: {id}-q3\n    type: multiple\n    prompt: \"{}\"\n    choices:\n      - text: \"{}\"\n        correct: true\n      - text: \"{}\"\n        correct: true\n      - text: \"{}\"",
        question(rng),
        short_phrase(rng),
        short_phrase(rng),
        short_phrase(rng)
    );
    Block::Quiz { yaml }
}

fn exercise(global_idx: usize) -> Block {
    let id = format!("ex-p{global_idx}");
    let yaml = format!(
        "id: {id}\nscenario: scenarios/bench.yaml\ntitle: \"Activer votre compte\"\ninstructions: |\n  Créez votre compte avec l’adresse **paul.durand@menuiserie-durand.fr** et activez-le.\ngoals:\n  - account_active: {{ email: \"paul.durand@menuiserie-durand.fr\" }}\nhints:\n  - \"Le lien d’activation arrive dans la messagerie simulée.\"\n"
    );
    Block::Exercise { yaml }
}

fn table(rng: &mut Rng) -> Block {
    let header = vec![
        "Élément".to_string(),
        "Où le trouver".to_string(),
        "Remarque".to_string(),
    ];
    let rows = (0..3 + rng.below(3))
        .map(|_| {
            vec![
                NOUNS[rng.below(NOUNS.len())].to_string(),
                PLACES[rng.below(PLACES.len())].to_string(),
                short_phrase(rng),
            ]
        })
        .collect();
    Block::Table { header, rows }
}

fn paragraph(rng: &mut Rng, min_words: usize, max_words: usize) -> String {
    let target = min_words + rng.below(max_words - min_words + 1);
    let mut res = String::new();
    while res.split_whitespace().count() < target {
        if !res.is_empty() {
            res.push(' ');
        }
        res.push_str(&sentence(rng));
    }
    res
}

fn sentence(rng: &mut Rng) -> String {
    let subject = SUBJECTS[rng.below(SUBJECTS.len())];
    let verb = VERBS[rng.below(VERBS.len())];
    let noun = NOUNS[rng.below(NOUNS.len())];
    let place = PLACES[rng.below(PLACES.len())];
    let tail = TAILS[rng.below(TAILS.len())];
    format!("{subject} {verb} {noun} {place}{tail}.")
}

fn question(rng: &mut Rng) -> String {
    format!(
        "Où {} {} ?",
        VERBS[rng.below(VERBS.len())],
        NOUNS[rng.below(NOUNS.len())]
    )
}

fn short_phrase(rng: &mut Rng) -> String {
    let phrase = format!(
        "{} {}",
        NOUNS[rng.below(NOUNS.len())],
        PLACES[rng.below(PLACES.len())]
    );
    let mut chars = phrase.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn image_name(image_idx: usize) -> String {
    format!("schema-{}.svg", image_idx + 1)
}

fn svg(image_idx: usize) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"120\" viewBox=\"0 0 320 120\"><rect x=\"4\" y=\"4\" width=\"140\" height=\"50\" fill=\"#dde\"/><rect x=\"176\" y=\"64\" width=\"140\" height=\"50\" fill=\"#edd\"/><path d=\"M144 29 L246 64\" stroke=\"#333\"/><text x=\"12\" y=\"34\">Fournisseur</text><text x=\"184\" y=\"94\">Chorus Pro {}</text></svg>\n",
        image_idx + 1
    )
}

fn slugify(text: &str) -> String {
    let mut res = String::new();
    for ch in text.chars() {
        let ch = match ch {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            other => other.to_ascii_lowercase(),
        };
        if ch.is_ascii_alphanumeric() {
            res.push(ch);
        } else if !res.ends_with('-') && !res.is_empty() {
            res.push('-');
        }
    }
    res.trim_end_matches('-').to_string()
}

/// SplitMix64: tiny, fast and the same on every platform (no dependency, no clock).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const MODULE_TOPICS: &[&str] = &[
    "Vocabulaire de la facturation publique",
    "Créer son compte",
    "Paramétrer sa structure",
    "Déposer une facture",
    "Suivre ses factures",
    "Factures de travaux",
    "Sollicitations et assistance",
    "Gestion des utilisateurs",
];

const PAGE_SUBJECTS: &[&str] = &[
    "Les cadres de facturation",
    "Le code service",
    "L’engagement juridique",
    "Le numéro SIRET",
    "La saisie en ligne",
    "Le dépôt d’un PDF",
    "Les statuts de la facture",
    "La mise en paiement",
    "Les pièces jointes",
    "Le gestionnaire principal",
    "Les espaces de la structure",
    "Les coordonnées bancaires",
    "La demande de rattachement",
    "Le mémoire de travaux",
    "L’état d’acompte",
    "La sous-traitance",
];

const HEADINGS: &[&str] = &[
    "Comprendre l’essentiel",
    "Les étapes",
    "Points de vigilance",
    "Exemple concret",
    "Ce qu’il faut retenir",
    "Cas particuliers",
    "Les erreurs fréquentes",
];

const SUBJECTS: &[&str] = &[
    "Le fournisseur",
    "L’entreprise artisanale",
    "Le gestionnaire principal",
    "L’acheteur public",
    "La commune",
    "Le comptable de la structure",
    "Chaque utilisateur",
    "Le service financier",
    "L’assistant administratif",
];

const VERBS: &[&str] = &[
    "renseigne",
    "vérifie",
    "dépose",
    "consulte",
    "complète",
    "transmet",
    "retrouve",
    "contrôle",
    "indique",
    "télécharge",
];

const NOUNS: &[&str] = &[
    "le numéro d’engagement",
    "le code service",
    "la facture au format PDF",
    "le SIRET du destinataire",
    "les pièces jointes",
    "le cadre de facturation",
    "le montant hors taxes",
    "la date d’échéance",
    "les coordonnées bancaires",
    "le statut de la facture",
    "le bon de commande",
    "la raison sociale",
];

const PLACES: &[&str] = &[
    "dans l’espace « Factures émises »",
    "sur la fiche de la structure",
    "avant de valider le dépôt",
    "dans le tableau de bord",
    "depuis la page d’accueil",
    "dans le formulaire de saisie",
    "au moment de l’envoi",
    "dans l’historique de la facture",
];

const TAILS: &[&str] = &[
    "",
    " afin d’éviter un rejet",
    " pour que le paiement ne soit pas retardé",
    " comme le demande l’acheteur",
    " sans attendre la fin du mois",
    " lorsque le destinataire l’exige",
];

const DIDACT_BOOK_TOML: &str = r#"[course]
id = "bench"
title = "Déposer ses factures dans Chorus Pro (banc d’essai)"
organisation = "Banc d’essai didact"
offer_id = "00_000000000000"
updated = "2026-01-01"
version = "1.0"
certification = "Formation non certifiante"
audience = "Cours généré pour mesurer les performances."
prerequisites = "Aucun."
description = "Cours généré automatiquement par `cargo xtask bench`."

[[objectives]]
id = "factures"
label = "Déposer et suivre ses factures dans Chorus Pro"
"#;

const SCENARIO_YAML: &str = r#"title: "Banc d'essai"
learner:
  first_name: "Paul"
  last_name: "Durand"
  email: "paul.durand@menuiserie-durand.fr"
  siret: "81452763600017"
register:
  - siret: "81452763600017"
    raison_sociale: "Menuiserie Durand SARL"
    address: { street: "12 rue des Artisans", postal_code: "33000", city: "Bordeaux" }
"#;

const MDBOOK_BOOK_TOML: &str = r#"[book]
title = "Déposer ses factures dans Chorus Pro (banc d’essai)"
language = "fr"
src = "src"
"#;

const ZOLA_CONFIG: &str = r#"base_url = "/"
title = "Déposer ses factures dans Chorus Pro (banc d’essai)"
compile_sass = false
build_search_index = false
default_language = "fr"

[markdown]
highlight_code = false
"#;

// The same minimal page for every tool: a title, a navigation of all pages, the body.
const ZOLA_BASE: &str = r#"<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title></head>
<body>
<nav><ul>
{% for module in config.extra.nav %}
<li><a href="{{ module.path }}">{{ module.title }}</a><ul>
{% for page in module.pages %}<li><a href="{{ page.path }}">{{ page.title }}</a></li>
{% endfor %}</ul></li>
{% endfor %}
</ul></nav>
<main>{% block main %}{% endblock %}</main>
</body></html>
"#;

const ZOLA_PAGE: &str = r#"{% extends "base.html" %}
{% block title %}{% if page %}{{ page.title }}{% else %}{{ section.title }}{% endif %}{% endblock %}
{% block main %}{% if page %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% else %}<h1>{{ section.title }}</h1>{{ section.content | safe }}{% endif %}{% endblock %}
"#;

/// `text` as a TOML string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

const HUGO_CONFIG: &str = r#"baseURL = "/"
languageCode = "fr"
title = "Déposer ses factures dans Chorus Pro (banc d’essai)"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.highlight]
codeFences = false
"#;

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<nav><ul>
{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></li>
{{ end }}
</ul></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
"#;

const HUGO_MAIN: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(pages: usize) -> Corpus {
        generate(CorpusOptions { pages, seed: 7 })
    }

    #[test]
    fn the_same_seed_gives_the_same_files() {
        assert_eq!(didact_files(&corpus(60)), didact_files(&corpus(60)));
        let other = generate(CorpusOptions { pages: 60, seed: 8 });
        assert_ne!(didact_files(&corpus(60)), didact_files(&other));
    }

    #[test]
    fn the_page_count_is_exact_in_every_format() {
        for pages in [1, 19, 20, 21, 100, 1000] {
            let corpus = corpus(pages);
            assert_eq!(corpus.page_count(), pages, "{pages} pages asked");
            let md = |files: Vec<(String, String)>, dir: &str| {
                files
                    .iter()
                    .filter(|(path, _)| path.starts_with(dir) && path.ends_with(".md"))
                    .count()
            };
            assert_eq!(md(didact_files(&corpus), "content/"), pages);
            // mdBook also has SUMMARY.md; Zola and Hugo also have the home page.
            assert_eq!(md(mdbook_files(&corpus), "src/"), pages + 1);
            assert_eq!(md(zola_files(&corpus), "content/"), pages + 1);
            assert_eq!(md(hugo_files(&corpus), "content/"), pages + 1);
        }
    }

    /// Zola's navigation data lists every module and page, in order, at the paths Zola gives
    /// their files, and `config.toml` stays valid TOML.
    #[test]
    fn zolas_navigation_lists_every_page_at_its_path() {
        let corpus = corpus(45);
        let files = zola_files(&corpus);
        let config: toml::Value = toml::from_str(&files[0].1).expect("valid TOML");
        let nav = config["extra"]["nav"].as_array().unwrap();
        assert_eq!(nav.len(), corpus.modules.len());
        for (module, entry) in corpus.modules.iter().zip(nav) {
            assert_eq!(entry["title"].as_str(), Some(module.title.as_str()));
            assert_eq!(
                entry["path"].as_str().unwrap(),
                format!("/{}/", module.slug)
            );
            let pages = entry["pages"].as_array().unwrap();
            assert_eq!(pages.len(), module.pages.len());
            for (page, item) in module.pages.iter().zip(pages) {
                assert_eq!(item["title"].as_str(), Some(page.title.as_str()));
                let source = format!("content/{}/{}.md", module.slug, page.slug);
                assert!(files.iter().any(|(path, _)| *path == source), "{source}");
                assert_eq!(
                    item["path"].as_str().unwrap(),
                    format!("/{}/{}/", module.slug, page.slug)
                );
            }
        }
        let tricky = "a \"b\" \\ c\u{7}\td’é";
        let parsed: toml::Value = toml::from_str(&format!("k = {}", toml_string(tricky))).unwrap();
        assert_eq!(parsed["k"].as_str(), Some(tricky));
    }

    #[test]
    fn pages_hold_600_to_1200_words_and_the_planned_widgets() {
        let corpus = corpus(200);
        let mut n_quizzes = 0;
        let mut n_exercises = 0;
        let mut n_images = 0;
        for module in &corpus.modules {
            assert!(word_count(&module.intro) >= 600, "{}", module.title);
            for page in &module.pages {
                let words = word_count(&page.blocks);
                assert!(
                    (600..=1200).contains(&words),
                    "{}: {words} words",
                    page.title
                );
                for block in &page.blocks {
                    match block {
                        Block::Quiz { .. } => n_quizzes += 1,
                        Block::Exercise { .. } => n_exercises += 1,
                        Block::Image { .. } => n_images += 1,
                        _ => {}
                    }
                }
            }
        }
        assert!((40..=50).contains(&n_quizzes), "{n_quizzes} quizzes");
        assert!((10..=14).contains(&n_exercises), "{n_exercises} exercises");
        assert!((55..=67).contains(&n_images), "{n_images} images");
    }

    #[test]
    fn every_didact_link_points_at_a_generated_file() {
        let files = didact_files(&corpus(120));
        let paths: std::collections::HashSet<&str> =
            files.iter().map(|(path, _)| path.as_str()).collect();
        let mut n_links = 0;
        for (path, text) in &files {
            for (start, _) in text.match_indices("](../") {
                let rest = &text[start + 5..];
                let target = &rest[..rest.find(')').expect("a closed link")];
                assert!(
                    paths.contains(format!("content/{target}").as_str()),
                    "{path} links to {target}"
                );
                n_links += 1;
            }
        }
        assert!(n_links > 240, "{n_links} links");
    }

    #[test]
    fn the_probe_page_holds_a_quiz() {
        let corpus = corpus(100);
        let (module_idx, page_idx) = corpus.probe_page();
        let blocks =
            &corpus.modules[module_idx].pages[page_idx.expect("a page, not a module")].blocks;
        assert!(blocks
            .iter()
            .any(|block| matches!(block, Block::Quiz { .. })));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slugify("L’état d’acompte"), "l-etat-d-acompte");
        assert_eq!(slugify("Créer son compte"), "creer-son-compte");
    }
}
