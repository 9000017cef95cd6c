//! Directives → interactive widgets (quizzes, exercises) in the page, and course-wide checks
//! on them (ids unique across the course).

use std::collections::{BTreeMap, HashMap};

use didact_config::Config;
use didact_diag::{Diagnostic, Files, Span};
use didact_markdown::{
    file_reference, parse_exercise, parse_quiz, render_fragment_in, unwrap_paragraph, Directive,
    Link, Markup, PageContext, YamlSource,
};
use didact_quiz::{blank_segments, QuestionKind, Quiz, Segment};
use didact_render::Templates;
use serde::Serialize;

/// Turns directives into widget HTML and checks course-wide rules.
pub struct Widgets<'a> {
    config: &'a Config,
    /// Every quiz, question or exercise id declared, with where, in order: checked for
    /// uniqueness across the course by [`check_duplicate_ids`], so pages can be rendered alone.
    pub claims: Vec<(String, Span)>,
    /// Quizzes found, for the search index and the progress page.
    pub quizzes: Vec<QuizInfo>,
    diagnostics: Vec<Diagnostic>,
    /// Links found in widget texts, checked with the page's own links.
    pub links: Vec<Link>,
    /// Exercises found, for the search index and the progress page.
    pub exercises: Vec<ExerciseInfo>,
    /// File ids of the scenario files, added to the file table once and handed from page to
    /// page (so a scenario's diagnostics have one file id and are reported once).
    pub scenario_files: HashMap<String, didact_diag::FileId>,
}

/// What the rest of the build needs to know about an exercise.
#[derive(Debug, Clone, Serialize)]
pub struct ExerciseInfo {
    /// Exercise id.
    pub id: String,
    /// Title.
    pub title: String,
    /// URL of the page holding it.
    pub url: String,
    /// Objective id.
    pub objective: Option<String>,
    /// Plain text (for search).
    #[serde(skip)]
    pub text: String,
}

/// What the rest of the build needs to know about a quiz.
#[derive(Debug, Clone, Serialize)]
pub struct QuizInfo {
    /// Quiz id.
    pub id: String,
    /// Title, if any.
    pub title: Option<String>,
    /// URL of the page holding it.
    pub url: String,
    /// Number of questions.
    pub questions: usize,
    /// `practice` or `exam`.
    pub mode: String,
    /// Objectives of its questions.
    pub objectives: Vec<String>,
    /// Plain text of the prompts (for search).
    #[serde(skip)]
    pub text: String,
}

/// The tera context of `quiz.html`.
#[derive(Serialize)]
struct QuizTemplate<'q> {
    quiz: &'q Quiz,
    segments: BTreeMap<&'q str, Vec<SegmentContext>>,
    data: String,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum SegmentContext {
    Text(String),
    Blank(String),
}

impl<'a> Widgets<'a> {
    /// Start with no widget seen.
    pub fn new(config: &'a Config) -> Self {
        Widgets {
            config,
            claims: Vec::new(),
            quizzes: Vec::new(),
            diagnostics: Vec::new(),
            links: Vec::new(),
            exercises: Vec::new(),
            scenario_files: HashMap::new(),
        }
    }

    /// Parse and check `directive`; return the HTML that replaces it (when templates are given).
    pub fn render(
        &mut self,
        directive: &Directive,
        page: &PageContext,
        files: &mut Files,
        data: &[(String, String)],
        templates: Option<&Templates>,
        base: &tera::Context,
    ) -> String {
        match directive.kind.as_str() {
            "quiz" => self.render_quiz(directive, page, files, data, templates, base),
            "exercice" => self.render_exercise(directive, page, files, data, templates, base),
            other => unreachable!("markdown only lifts known directives, got `{other}`"),
        }
    }

    fn render_quiz(
        &mut self,
        directive: &Directive,
        page: &PageContext,
        files: &mut Files,
        data: &[(String, String)],
        templates: Option<&Templates>,
        base: &tera::Context,
    ) -> String {
        // The body may be `file: quizzes/x.yaml`.
        let (file, text, offset) = match file_reference(&directive.body) {
            Some(path) => match data.iter().find(|(p, _)| *p == path) {
                Some((p, text)) => (
                    files.add(format!("content/{p}"), text.clone()),
                    text.clone(),
                    0,
                ),
                None => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            "quiz-missing-file",
                            format!("quiz file `content/{path}` does not exist"),
                            Span::new(
                                page.file,
                                directive.body_offset,
                                directive.body_offset + directive.body.trim_end().len(),
                            ),
                        )
                        .with_help(
                            "paths are relative to content/, e.g. `file: quizzes/final.yaml`",
                        ),
                    );
                    return String::new();
                }
            },
            None => (page.file, directive.body.clone(), directive.body_offset),
        };
        let source = YamlSource {
            text: &text,
            offset,
            file,
        };
        let mut links = Vec::new();
        let mut render =
            |markup: Markup, text: &str| render_text(markup, text, page, directive, &mut links);
        let (quiz, mut problems) = parse_quiz(source, &self.config.objective_ids(), &mut render);
        self.links.append(&mut links);
        self.diagnostics.append(&mut problems);
        let Some(quiz) = quiz else {
            return String::new();
        };

        // Course-wide unique ids.
        for (i, id) in didact_quiz::ids(&quiz).enumerate() {
            let path = if i == 0 {
                "id".to_string()
            } else {
                format!("questions[{}].id", i - 1)
            };
            let span = source.span_of_path(&path);
            self.claims.push((id.to_string(), span));
        }
        let mut objectives: Vec<String> = quiz
            .questions
            .iter()
            .filter_map(|q| q.objective.clone())
            .collect();
        objectives.sort();
        objectives.dedup();
        self.quizzes.push(QuizInfo {
            id: quiz.id.clone(),
            title: quiz.title.clone(),
            url: page.url.to_string(),
            questions: quiz.questions.len(),
            mode: serde_json::to_value(quiz.mode)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            objectives,
            text: quiz
                .questions
                .iter()
                .map(|q| strip_tags(&q.prompt))
                .collect::<Vec<_>>()
                .join(" "),
        });

        let Some(templates) = templates else {
            return String::new();
        };
        let mut segments = BTreeMap::new();
        for question in &quiz.questions {
            if let QuestionKind::Blanks { text, .. } = &question.kind {
                if let Ok(parts) = blank_segments(text) {
                    segments.insert(
                        question.id.as_str(),
                        parts
                            .into_iter()
                            .map(|s| match s {
                                Segment::Text(t) => SegmentContext::Text(t.to_string()),
                                Segment::Blank(b) => SegmentContext::Blank(b.to_string()),
                            })
                            .collect(),
                    );
                }
            }
        }
        let json = serde_json::to_string(&quiz).expect("a quiz serialises");
        let context_data = QuizTemplate {
            quiz: &quiz,
            segments,
            data: didact_quiz::obfuscate(&json, &quiz.id),
        };
        let mut context = base.clone();
        context.insert("quiz", &context_data.quiz);
        context.insert("segments", &context_data.segments);
        context.insert("data", &context_data.data);
        context.insert("root", &"../".repeat(page.url.matches('/').count()));
        match templates.render("quiz.html", &context) {
            Ok(html) => html,
            Err(d) => {
                self.diagnostics.push(d);
                String::new()
            }
        }
    }

    fn render_exercise(
        &mut self,
        directive: &Directive,
        page: &PageContext,
        files: &mut Files,
        data: &[(String, String)],
        templates: Option<&Templates>,
        base: &tera::Context,
    ) -> String {
        let source = YamlSource {
            text: &directive.body,
            offset: directive.body_offset,
            file: page.file,
        };
        // Scenario files get a file id once, when first used.
        for (path, text) in data {
            if path.starts_with("scenarios/") && !self.scenario_files.contains_key(path) {
                let id = files.add(format!("content/{path}"), text.clone());
                self.scenario_files.insert(path.clone(), id);
            }
        }
        let scenario_files = &self.scenario_files;
        let lookup = |path: &str| {
            let (p, text) = data.iter().find(|(p, _)| p == path)?;
            Some(YamlSource {
                text,
                offset: 0,
                file: *scenario_files.get(p)?,
            })
        };
        let mut links = Vec::new();
        let mut render =
            |markup: Markup, text: &str| render_text(markup, text, page, directive, &mut links);
        let (parsed, mut problems) =
            parse_exercise(source, &lookup, &self.config.objective_ids(), &mut render);
        self.links.append(&mut links);
        self.diagnostics.append(&mut problems);
        let Some(parsed) = parsed else {
            return String::new();
        };
        let id = parsed.exercise.id.clone();
        let span = source.span_of_path("id");
        self.claims.push((id.clone(), span));
        self.exercises.push(ExerciseInfo {
            id: id.clone(),
            title: parsed.exercise.title.clone(),
            url: page.url.to_string(),
            objective: parsed.exercise.objective.clone(),
            text: format!(
                "{} {}",
                parsed.exercise.title,
                strip_tags(&parsed.exercise.instructions)
            ),
        });
        let Some(templates) = templates else {
            return String::new();
        };
        let goals: Vec<String> = parsed.exercise.goals.iter().map(|g| g.label()).collect();
        // The scenario's world is built here rather than in the browser: the runtime then
        // reads only worlds (as it does saved ones), not scenarios.
        let json = serde_json::json!({
            "exercise": parsed.exercise,
            "world": didact_sim::World::from_scenario(&parsed.scenario),
            "learner": parsed.scenario.learner,
        })
        .to_string();
        let mut context = base.clone();
        context.insert("exercise", &parsed.exercise);
        context.insert("goals", &goals);
        context.insert("data", &json);
        context.insert("root", &"../".repeat(page.url.matches('/').count()));
        match templates.render("exercise.html", &context) {
            Ok(html) => html,
            Err(d) => {
                self.diagnostics.push(d);
                String::new()
            }
        }
    }

    /// Course-wide problems found once every page was seen.
    pub fn finish(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }
}

/// A second use of a quiz, question or exercise id is an error pointing at the first use;
/// `claims` come in course order.
pub fn check_duplicate_ids<'c>(
    claims: impl IntoIterator<Item = &'c (String, Span)>,
    files: &Files,
) -> Vec<Diagnostic> {
    let mut res = Vec::new();
    let mut first_use: HashMap<&str, Span> = HashMap::new();
    for (id, span) in claims {
        match first_use.get(id.as_str()) {
            Some(first) => {
                let (first_path, line, _) = files.location(*first);
                res.push(
                    Diagnostic::error("duplicate-id", format!("id `{id}` is already used"), *span).with_help(format!(
                        "first used at {first_path}:{line}; quiz, question and exercise ids must be unique in the course"
                    )),
                );
            }
            None => {
                first_use.insert(id, *span);
            }
        }
    }
    res
}

/// Render a Markdown field of a widget in the context of its page, collecting its links.
fn render_text(
    markup: Markup,
    text: &str,
    page: &PageContext,
    directive: &Directive,
    links: &mut Vec<Link>,
) -> String {
    let (html, mut found) = render_fragment_in(text, page, directive.span);
    links.append(&mut found);
    match markup {
        Markup::Block => html,
        Markup::Inline => unwrap_paragraph(html),
    }
}

/// Plain text of an HTML fragment (for the search index).
pub fn strip_tags(html: &str) -> String {
    let mut res = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                res.push(' ');
            }
            c if !in_tag => res.push(c),
            _ => {}
        }
    }
    res.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
