//! Diagnostics: what a course mistake looks like, and where it is.
//!
//! Owns [`FileId`], [`Span`], [`Severity`], [`Diagnostic`], [`LineIndex`] and the [`Files`]
//! table that maps spans back to `path:line:column`. Depends on nothing but std.
//! Libraries collect diagnostics as data; only the CLI decides how to print them, using
//! [`render_text`] or [`render_json`].
#![warn(missing_docs)]

use std::fmt::Write as _;

/// Index of a source file in a [`Files`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// First byte.
    pub start: usize,
    /// One past the last byte (equal to `start` for a point).
    pub end: usize,
}

impl Span {
    /// A span covering `start..end` in `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start,
            end: end.max(start),
        }
    }
    /// The start of a file, for problems about the file as a whole.
    pub fn file_start(file: FileId) -> Self {
        Span {
            file,
            start: 0,
            end: 0,
        }
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build refuses to write output.
    Error,
    /// Reported; the build still succeeds.
    Warning,
}

/// One problem found in the course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable, searchable code such as `front-matter-unknown-key`.
    pub code: &'static str,
    /// Lower case, no trailing period.
    pub message: String,
    /// Where the problem is.
    pub span: Span,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            help: None,
        }
    }
    /// A warning.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            span,
            help: None,
        }
    }
    /// The same diagnostic with a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Byte offsets of line starts, to turn byte offsets into 1-based line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Index the lines of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// 1-based line and column (columns count characters, not bytes) of `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }

    /// The text of 1-based line `line`, without its newline.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map(|e| e - 1)
            .unwrap_or(text.len());
        text.get(start..end).unwrap_or("").trim_end_matches('\r')
    }
}

/// One source file known to the diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the course root, with `/` separators.
    pub path: String,
    /// Full text (shared with the inputs and the course model: one copy of each source).
    pub text: std::sync::Arc<str>,
    /// Its line index.
    pub lines: LineIndex,
}

/// The table of source files that spans point into.
#[derive(Debug, Clone, Default)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }
    /// Add a file and return its id.
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<std::sync::Arc<str>>) -> FileId {
        let text = text.into();
        let lines = LineIndex::new(&text);
        self.files.push(SourceFile {
            path: path.into(),
            text,
            lines,
        });
        FileId(u32::try_from(self.files.len() - 1).expect("fewer than 4 billion files"))
    }
    /// The file behind `id`.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    /// `(path, line, column)` of the start of `span`.
    pub fn location(&self, span: Span) -> (&str, usize, usize) {
        let file = self.get(span.file);
        let (line, col) = file.lines.line_col(&file.text, span.start);
        (&file.path, line, col)
    }
}

/// Sort diagnostics by file, position and code so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic], files: &Files) {
    diagnostics.sort_by(|a, b| {
        let pa = &files.get(a.span.file).path;
        let pb = &files.get(b.span.file).path;
        (pa, a.span.start, a.code).cmp(&(pb, b.span.start, b.code))
    });
}

/// Render one diagnostic the way rustc does.
///
/// ```text
/// error[quiz-no-correct-choice]: a single-choice question needs exactly one correct choice
///   --> content/02-invoices/03-vat.md:41:3
///    |
/// 41 | - [ ] 19 %
///    |   ^^^^^^^^
///    = help: mark the correct choice with [x]
/// ```
pub fn render_text(diagnostic: &Diagnostic, files: &Files) -> String {
    let file = files.get(diagnostic.span.file);
    let (line, col) = file.lines.line_col(&file.text, diagnostic.span.start);
    let level = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut res = String::new();
    let _ = writeln!(res, "{level}[{}]: {}", diagnostic.code, diagnostic.message);
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(res, "{pad}--> {}:{line}:{col}", file.path);
    let source_line = file.lines.line_text(&file.text, line);
    if !file.text.is_empty() {
        let _ = writeln!(res, "{pad} |");
        let _ = writeln!(res, "{line} | {source_line}");
        let line_chars = source_line.chars().count();
        let (_, end_col) = if diagnostic.span.end > diagnostic.span.start {
            file.lines.line_col(&file.text, diagnostic.span.end)
        } else {
            (line, col + 1)
        };
        let end_col = if end_col <= col {
            line_chars + 1
        } else {
            end_col
        };
        let width = end_col.saturating_sub(col).max(1);
        let _ = writeln!(res, "{pad} | {}{}", " ".repeat(col - 1), "^".repeat(width));
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(res, "{pad} = help: {help}");
    }
    res
}

/// Render diagnostics as a JSON array (hand-written: this crate depends on std only).
pub fn render_json(diagnostics: &[Diagnostic], files: &Files) -> String {
    let mut res = String::from("[");
    for (i, d) in diagnostics.iter().enumerate() {
        let (path, line, col) = files.location(d.span);
        if i > 0 {
            res.push(',');
        }
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = write!(
            res,
            "{{\"severity\":\"{severity}\",\"code\":{},\"message\":{},\"file\":{},\"line\":{line},\"column\":{col},\"help\":{}}}",
            json_string(d.code),
            json_string(&d.message),
            json_string(path),
            d.help.as_deref().map(json_string).unwrap_or_else(|| "null".into())
        );
    }
    res.push(']');
    res
}

/// A JSON string literal for `s`.
pub fn json_string(s: &str) -> String {
    let mut res = String::with_capacity(s.len() + 2);
    res.push('"');
    for c in s.chars() {
        match c {
            '"' => res.push_str("\\\""),
            '\\' => res.push_str("\\\\"),
            '\n' => res.push_str("\\n"),
            '\r' => res.push_str("\\r"),
            '\t' => res.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(res, "\\u{:04x}", c as u32);
            }
            c => res.push(c),
        }
    }
    res.push('"');
    res
}

/// The closest candidate to `word` by edit distance, for "did you mean" hints.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_the_closest_key() {
        assert_eq!(suggest("titel", &["title", "weight"]), Some("title"));
        assert_eq!(suggest("zzzzzz", &["title", "weight"]), None);
    }

    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nçé x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 3), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x), (2, 4));
        assert_eq!(index.line_text(text, 2), "çé x");
    }

    #[test]
    fn renders_like_rustc() {
        let mut files = Files::new();
        let id = files.add("content/a.md", "---\ntitel: x\n---\n");
        let d = Diagnostic::error(
            "front-matter-unknown-key",
            "unknown key `titel`",
            Span::new(id, 4, 9),
        )
        .with_help("did you mean `title`?");
        let text = render_text(&d, &files);
        assert_eq!(
            text,
            "error[front-matter-unknown-key]: unknown key `titel`\n --> content/a.md:2:1\n  |\n2 | titel: x\n  | ^^^^^\n  = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn json_output_escapes_strings() {
        let mut files = Files::new();
        let id = files.add("a\"b.md", "x");
        let d = Diagnostic::warning("c", "say \"hi\"\n", Span::file_start(id));
        assert_eq!(
            render_json(&[d], &files),
            r#"[{"severity":"warning","code":"c","message":"say \"hi\"\n","file":"a\"b.md","line":1,"column":1,"help":null}]"#
        );
    }
}
