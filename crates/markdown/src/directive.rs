//! Directive bodies: YAML → checked specs, with problems mapped back to file positions.

use didact_diag::{Diagnostic, FileId, Span};
use didact_quiz::{CheckContext, Markup, Quiz};
use serde::de::DeserializeOwned;

/// The YAML of a directive (or of a referenced file) and where it is.
#[derive(Debug, Clone, Copy)]
pub struct YamlSource<'a> {
    /// The YAML text.
    pub text: &'a str,
    /// Byte offset of `text` in `file`.
    pub offset: usize,
    /// The file holding it.
    pub file: FileId,
}

impl YamlSource<'_> {
    /// The span of `start..end` of the YAML text.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.offset + start, self.offset + end)
    }

    /// The span of the value at `path` (`questions[2].choices`), or of the whole text.
    pub fn span_of_path(&self, path: &str) -> Span {
        match locate(self.text, path) {
            Some((start, end)) => self.span(start, end),
            None => self.span(0, self.text.find('\n').unwrap_or(self.text.len())),
        }
    }
}

/// `file: quizzes/x.yaml` as the whole body: the referenced path.
pub fn file_reference(yaml: &str) -> Option<String> {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).ok()?;
    let map = value.as_mapping()?;
    if map.len() != 1 {
        return None;
    }
    map.get("file")?.as_str().map(str::to_string)
}

/// Parse YAML into `T`; a syntax or shape error becomes a diagnostic at its position.
pub fn parse_yaml<T: DeserializeOwned>(
    source: YamlSource,
    code: &'static str,
    what: &str,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(source.text).map_err(|error| {
        let start = error.location().map(|l| l.index()).unwrap_or(0).min(source.text.len());
        let message = error.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        let end = source.text[start..].find('\n').map(|n| start + n).unwrap_or(source.text.len());
        let mut diagnostic = Diagnostic::error(code, format!("invalid {what}: {message}"), source.span(start, end.max(start)));
        // Inside a list or a map, serde_yaml puts the path first: `questions[0]: unknown field …`.
        let detail = |prefix: &str| {
            let rest = &message[message.find(prefix)? + prefix.len()..];
            let name = rest.split('`').next()?;
            let expected: Vec<&str> = rest.split("expected ").nth(1).map(|e| e.split(['`', ',', ' ']).filter(|w| !w.is_empty() && *w != "one" && *w != "of" && *w != "or").collect()).unwrap_or_default();
            Some((name, didact_diag::suggest(name, &expected)))
        };
        if let Some((key, suggestion)) = detail("unknown field `") {
            if let Some(at) = find_key_from(source.text, key, start) {
                diagnostic.span = source.span(at, at + key.len());
            }
            diagnostic = match suggestion {
                Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                None => diagnostic.with_help("see docs/formats.md for the keys of this directive"),
            };
        } else if let Some((value, suggestion)) = detail("unknown variant `") {
            if let Some(at) = source.text[start..].find(value).map(|n| start + n) {
                diagnostic.span = source.span(at, at + value.len());
            }
            diagnostic = match suggestion {
                Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                None => diagnostic.with_help("see docs/formats.md for the allowed values"),
            };
        } else {
            diagnostic = diagnostic.with_help("directive bodies are YAML: `key: value` per line; quote text that contains `:` or starts with a symbol");
        }
        diagnostic
    })
}

/// Parse and check a quiz; on success its Markdown fields are rendered to HTML by `render`.
pub fn parse_quiz(
    source: YamlSource,
    objectives: &[&str],
    render: &mut dyn FnMut(Markup, &str) -> String,
) -> (Option<Quiz>, Vec<Diagnostic>) {
    let mut quiz: Quiz = match parse_yaml(source, "quiz-invalid", "quiz") {
        Ok(quiz) => quiz,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let ctx = CheckContext {
        objectives: objectives.iter().map(|s| s.to_string()).collect(),
    };
    let diagnostics: Vec<Diagnostic> = didact_quiz::check_quiz(&quiz, &ctx)
        .into_iter()
        .map(|problem| {
            let span = source.span_of_path(&problem.path);
            let mut d = match problem.severity {
                didact_quiz::Severity::Error => {
                    Diagnostic::error(problem.code, problem.message, span)
                }
                didact_quiz::Severity::Warning => {
                    Diagnostic::warning(problem.code, problem.message, span)
                }
            };
            d.help = problem.help;
            d
        })
        .collect();
    quiz.map_text(|markup, text| *text = render(markup, text));
    (Some(quiz), diagnostics)
}

/// A parsed exercise with its scenario, ready for the page.
#[derive(Debug, Clone)]
pub struct ParsedExercise {
    /// The exercise, instructions and hints rendered to HTML.
    pub exercise: didact_sim::Exercise,
    /// The scenario it starts from.
    pub scenario: didact_sim::Scenario,
}

/// Parse and check an exercise and the scenario it names (`scenario` holds the scenario
/// file's YAML source, `None` when the file does not exist).
pub fn parse_exercise<'d>(
    source: YamlSource,
    scenario_source: &dyn Fn(&str) -> Option<YamlSource<'d>>,
    objectives: &[&str],
    render: &mut dyn FnMut(Markup, &str) -> String,
) -> (Option<ParsedExercise>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut exercise: didact_sim::Exercise =
        match parse_yaml(source, "exercise-invalid", "exercise") {
            Ok(exercise) => exercise,
            Err(diagnostic) => return (None, vec![diagnostic]),
        };
    if let Some(objective) = &exercise.objective {
        if !objectives.contains(&objective.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "unknown-objective",
                    format!("objective `{objective}` is not declared in book.toml"),
                    source.span_of_path("objective"),
                )
                .with_help(format!("declared objectives: {}", objectives.join(", "))),
            );
        }
    }
    let Some(scenario_yaml) = scenario_source(&exercise.scenario) else {
        diagnostics.push(
            Diagnostic::error(
                "exercise-missing-scenario",
                format!("scenario `content/{}` does not exist", exercise.scenario),
                source.span_of_path("scenario"),
            )
            .with_help("scenario paths are relative to content/, e.g. `scenarios/menuiserie.yaml`"),
        );
        return (None, diagnostics);
    };
    let scenario: didact_sim::Scenario =
        match parse_yaml(scenario_yaml, "scenario-invalid", "scenario") {
            Ok(scenario) => scenario,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return (None, diagnostics);
            }
        };
    for problem in didact_sim::check_scenario(&scenario) {
        let mut d = Diagnostic::error(
            problem.code,
            problem.message,
            scenario_yaml.span_of_path(&problem.path),
        );
        d.help = problem.help;
        diagnostics.push(d);
    }
    for problem in didact_sim::check_exercise(&exercise, &scenario) {
        let mut d = Diagnostic::error(
            problem.code,
            problem.message,
            source.span_of_path(&problem.path),
        );
        d.help = problem.help;
        diagnostics.push(d);
    }
    exercise.instructions = render(Markup::Block, &exercise.instructions);
    for hint in &mut exercise.hints {
        *hint = render(Markup::Block, hint);
    }
    (Some(ParsedExercise { exercise, scenario }), diagnostics)
}

/// Find the byte range of the value at `path` in block-style YAML.
///
/// `path` is a dotted path with indices, as the `quiz` and `sim` checks report it:
/// `questions[2].choices[0].text`. Returns the range of the key (or list item) line's content.
pub fn locate(yaml: &str, path: &str) -> Option<(usize, usize)> {
    let lines: Vec<(usize, &str)> = {
        let mut offset = 0;
        yaml.split_inclusive('\n')
            .map(|line| {
                let res = (offset, line.trim_end_matches(['\n', '\r']));
                offset += line.len();
                res
            })
            .collect()
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    // (line index, indent) of the current node; the root has indent -1.
    let mut cursor: (usize, isize) = (0, -1);
    let mut found: Option<usize> = None;
    let mut start_line = 0;
    for segment in path.split('.') {
        let (key, indices) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            let mut hit = None;
            for (i, (_, line)) in lines.iter().enumerate().skip(start_line) {
                let trimmed = line.trim_start().trim_start_matches("- ");
                let line_indent = (line.len() - trimmed.len()) as isize;
                if i > start_line
                    && !line.trim().is_empty()
                    && (indent(line) as isize) <= cursor.1
                    && found.is_some()
                {
                    break;
                }
                if line_indent > cursor.1
                    && trimmed.starts_with(key)
                    && trimmed[key.len()..].trim_start().starts_with(':')
                {
                    hit = Some((i, line_indent));
                    break;
                }
            }
            let (i, line_indent) = hit?;
            found = Some(i);
            cursor = (i, line_indent);
            start_line = i;
        }
        for index in indices.split(['[', ']']).filter(|s| !s.is_empty()) {
            let n: usize = index.parse().ok()?;
            let mut count = 0;
            let mut hit = None;
            let mut item_indent: Option<isize> = None;
            for (i, (_, line)) in lines.iter().enumerate().skip(start_line + 1) {
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let line_indent = indent(line) as isize;
                if line_indent < cursor.1 || (line_indent == cursor.1 && !trimmed.starts_with('-'))
                {
                    break;
                }
                if trimmed.starts_with('-')
                    && line_indent >= cursor.1
                    && *item_indent.get_or_insert(line_indent) == line_indent
                {
                    if count == n {
                        hit = Some((i, line_indent));
                        break;
                    }
                    count += 1;
                }
            }
            let (i, line_indent) = hit?;
            found = Some(i);
            cursor = (i, line_indent);
            start_line = i;
        }
    }
    let (offset, line) = lines[found?];
    let content_start = offset + indent(line);
    Some((content_start, offset + line.len()))
}

fn find_key_from(yaml: &str, key: &str, from: usize) -> Option<usize> {
    let mut offset = 0;
    let mut best = None;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches("- ");
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with(':') {
            let at = offset + line.len() - trimmed.len();
            if at >= from {
                return Some(at);
            }
            best = Some(at);
        }
        offset += line.len();
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIZ: &str = "id: q\nquestions:\n  - id: a\n    type: single\n    prompt: P\n    choices:\n      - text: x\n      - text: y\n  - id: b\n    type: single\n    prompt: P\n    choices:\n      - text: x\n        correct: true\n      - text: y\n";

    #[test]
    fn locates_nested_paths() {
        let (start, _) = locate(QUIZ, "questions[1].choices").unwrap();
        assert_eq!(&QUIZ[start..start + 8], "choices:");
        let line = QUIZ[..start].matches('\n').count() + 1;
        assert_eq!(line, 12);
        let (start, _) = locate(QUIZ, "questions[0].choices[1]").unwrap();
        assert_eq!(&QUIZ[start..start + 9], "- text: y");
    }

    #[test]
    fn quiz_problems_point_at_their_line() {
        let source = YamlSource {
            text: QUIZ,
            offset: 100,
            file: FileId(0),
        };
        let (quiz, problems) = parse_quiz(source, &[], &mut |_, t| t.to_string());
        assert!(quiz.is_some());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "quiz-single-correct-count");
        let line = QUIZ[..problems[0].span.start - 100].matches('\n').count() + 1;
        assert!(line == 3 || line == 6, "line {line}");
    }

    #[test]
    fn unknown_key_is_reported_with_a_hint() {
        let text = "id: q\ntitel: x\nquestions: []\n";
        let source = YamlSource {
            text,
            offset: 0,
            file: FileId(0),
        };
        let (_, problems) = parse_quiz(source, &[], &mut |_, t| t.to_string());
        assert_eq!(problems[0].code, "quiz-invalid");
        assert_eq!(problems[0].span.start, 6);
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn a_question_s_unknown_key_or_type_is_reported_with_a_hint() {
        let parse = |text: &str| {
            let source = YamlSource {
                text,
                offset: 0,
                file: FileId(0),
            };
            parse_quiz(source, &[], &mut |_, t| t.to_string()).1
        };
        for (text, typo, help) in [
            (
                "id: q\nquestions:\n  - id: a\n    type: single\n    prompt: P\n    choises: []\n",
                "choises",
                "did you mean `choices`?",
            ),
            (
                "id: q\nquestions:\n  - id: a\n    type: singel\n    prompt: P\n    choices: []\n",
                "singel",
                "did you mean `single`?",
            ),
        ] {
            let problems = parse(text);
            assert_eq!(problems[0].code, "quiz-invalid", "{typo}");
            assert_eq!(problems[0].span.start, text.find(typo).unwrap(), "{typo}");
            assert_eq!(problems[0].help.as_deref(), Some(help), "{typo}");
        }
    }

    #[test]
    fn file_references_are_recognised() {
        assert_eq!(
            file_reference("file: quizzes/final.yaml\n").as_deref(),
            Some("quizzes/final.yaml")
        );
        assert_eq!(file_reference("id: q\nfile: x\n"), None);
    }
}
