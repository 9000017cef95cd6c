//! Wrapping the index JSON in a classic script, so that pages opened from `file://` (where
//! `fetch` of a local file is refused) can still load it with `<script src>`.

use std::io::{self, Write};

/// The body of a classic JavaScript file that stores `index_json` as a string in
/// `window.<var>`, for `Index::from_json` (or `JSON.parse`) to read.
///
/// The string literal is pure ASCII: quotes, backslashes, control characters, `<` and `>`
/// (so no `</script>` or `<!--` can appear), U+2028, U+2029 and every other non-ASCII
/// character are written as escapes, so the file reads the same whatever encoding the browser
/// assumes for it. A `var` that is not a plain JavaScript identifier is written as a quoted
/// property name.
///
/// ```
/// let script = didact_search::index_script(r#"{"v":1}"#, "didactSearchIndex");
/// assert_eq!(script, "window.didactSearchIndex = \"{\\\"v\\\":1}\";\n");
/// ```
pub fn index_script(index_json: &str, var: &str) -> String {
    let mut res = String::new();
    push_target(&mut res, var);
    res.push_str(" = ");
    push_js_string(&mut res, index_json);
    res.push_str(";\n");
    res
}

/// The body of a classic JavaScript file that sets `window.<var>` to an array of `items`,
/// each written like [`index_script`]'s string (pure ASCII, nothing that closes a script).
/// The browser parses the array natively; nothing reads it until a value is needed.
///
/// ```
/// let script = didact_search::strings_script(&["a\"b".to_owned(), "é".to_owned()], "texts");
/// assert_eq!(script, "window.texts = [\n\"a\\\"b\",\n\"\\u00E9\"\n];\n");
/// ```
pub fn strings_script(items: &[String], var: &str) -> String {
    let mut res = Vec::new();
    write_strings_script(&mut res, items, var).expect("writing to a Vec cannot fail");
    String::from_utf8(res).expect("the script is ASCII")
}

/// Writes [`strings_script`]'s text to `out` in pieces of about [`CHUNK`] bytes, so the whole
/// text (tens of MB at thousands of pages) is never held at once.
pub(crate) fn write_strings_script(
    out: &mut impl Write,
    items: &[String],
    var: &str,
) -> io::Result<()> {
    let mut buf = String::with_capacity(CHUNK + 1024);
    push_target(&mut buf, var);
    buf.push_str(" = [");
    for (idx, item) in items.iter().enumerate() {
        buf.push_str(if idx == 0 { "\n" } else { ",\n" });
        push_js_string(&mut buf, item);
        if buf.len() >= CHUNK {
            out.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    buf.push_str("\n];\n");
    out.write_all(buf.as_bytes())
}

/// The size of the pieces [`write_strings_script`] writes.
const CHUNK: usize = 64 * 1024;

/// `window.var` or `window["var"]`.
pub(crate) fn push_target(res: &mut String, var: &str) {
    if is_identifier(var) {
        res.push_str("window.");
        res.push_str(var);
    } else {
        res.push_str("window[");
        push_js_string(res, var);
        res.push(']');
    }
}

/// Appends `text` as a double-quoted, pure-ASCII JavaScript string literal.
fn push_js_string(out: &mut String, text: &str) {
    out.push('"');
    push_js_chars(out, text);
    out.push('"');
}

/// Appends `text` escaped as the inside of [`push_js_string`]'s literal.
fn push_js_chars(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' if c != '<' && c != '>' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str("\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(char::from(HEX[usize::from((*unit >> shift) & 0xf)]));
                    }
                }
            }
        }
    }
}

/// Writes the UTF-8 text written to it escaped as the inside of a JavaScript string literal
/// (as [`push_js_string`] does), so a serialiser can write straight into a script without the
/// whole text being held: see `Index::write_script`. Call [`JsStringWriter::finish`] at the
/// end: text that is not UTF-8 is refused there, or as soon as it is seen.
pub(crate) struct JsStringWriter<W: Write> {
    out: W,
    /// The start of a character cut between two writes.
    pending: Vec<u8>,
    escaped: String,
}

impl<W: Write> JsStringWriter<W> {
    pub fn new(out: W) -> Self {
        JsStringWriter {
            out,
            pending: Vec::new(),
            escaped: String::new(),
        }
    }

    /// Check that no character was left cut; returns the inner writer.
    pub fn finish(self) -> io::Result<W> {
        if self.pending.is_empty() {
            Ok(self.out)
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the text ends inside a UTF-8 character",
            ))
        }
    }
}

impl<W: Write> Write for JsStringWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            // A character cut at the end: it is completed by the next write.
            Err(error) if error.error_len().is_none() => error.valid_up_to(),
            Err(error) => return Err(io::Error::new(io::ErrorKind::InvalidData, error)),
        };
        let text = std::str::from_utf8(&self.pending[..valid]).expect("checked above");
        self.escaped.clear();
        push_js_chars(&mut self.escaped, text);
        self.out.write_all(self.escaped.as_bytes())?;
        self.pending.drain(..valid);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A plain ASCII JavaScript identifier (reserved words are fine after `window.`).
fn is_identifier(var: &str) -> bool {
    let mut chars = var.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a JavaScript string literal as written by `push_js_string`.
    fn decode_js_string(literal: &str) -> String {
        let inner = literal
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
            .expect("a double-quoted literal");
        let mut units: Vec<u16> = Vec::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            assert!(c.is_ascii() && c != '"', "unescaped {c:?} in {literal}");
            if c != '\\' {
                units.push(c as u16);
                continue;
            }
            match chars.next().expect("an escape") {
                'n' => units.push(u16::from(b'\n')),
                'r' => units.push(u16::from(b'\r')),
                't' => units.push(u16::from(b'\t')),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    units.push(u16::from_str_radix(&hex, 16).expect("four hex digits"));
                }
                other => units.push(other as u16),
            }
        }
        String::from_utf16(&units).expect("valid UTF-16")
    }

    #[track_caller]
    fn check_round_trip(text: &str) {
        let script = index_script(text, "idx");
        let literal = script
            .strip_prefix("window.idx = ")
            .and_then(|rest| rest.strip_suffix(";\n"))
            .expect("the script shape");
        assert!(script.is_ascii());
        assert_eq!(decode_js_string(literal), text);
    }

    #[test]
    fn hostile_text_cannot_close_the_script_or_the_string() {
        let hostile = "</script><img src=x onerror=alert(1)> \"quoted\" 'single' back\\slash \u{2028}\u{2029} <!-- ${x}";
        let script = index_script(hostile, "didactSearchIndex");
        assert!(!script.contains('<'));
        assert!(!script.contains('>'));
        assert!(!script.contains('\u{2028}') && !script.contains('\u{2029}'));
        assert!(script.contains("\\u2028\\u2029"));
        assert!(script.contains("\\u003C/script\\u003E"));
        check_round_trip(hostile);
    }

    #[test]
    fn non_ascii_and_control_characters_are_escaped() {
        check_round_trip("Équipé œuvre € 😀 \n\r\t\u{0} \u{1f} fin");
        let script = index_script("é😀", "idx");
        assert_eq!(script, "window.idx = \"\\u00E9\\uD83D\\uDE00\";\n");
    }

    #[test]
    fn real_index_json_survives_the_round_trip() {
        let json = r#"{"v":1,"docs":[["a.html","L’« entrée » \"A1\" \\ </script>",null,"page"]]}"#;
        check_round_trip(json);
    }

    #[test]
    fn text_written_in_pieces_is_escaped_as_one_string() {
        let text = "Équipé œuvre € 😀 \n\r\t\u{0} \u{1f} </script> \"fin\" \\";
        let mut whole = String::new();
        push_js_chars(&mut whole, text);
        for piece in 1..=text.len() {
            let mut writer = JsStringWriter::new(Vec::new());
            for chunk in text.as_bytes().chunks(piece) {
                writer.write_all(chunk).unwrap();
            }
            let out = writer.finish().unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                whole,
                "pieces of {piece} bytes"
            );
        }
    }

    #[test]
    fn text_that_is_not_utf8_is_refused() {
        let mut writer = JsStringWriter::new(Vec::new());
        assert!(writer.write_all(b"a\xFFb").is_err());
        let mut writer = JsStringWriter::new(Vec::new());
        writer.write_all("é".as_bytes().split_at(1).0).unwrap();
        assert!(writer.finish().is_err());
    }

    #[test]
    fn a_var_that_is_not_an_identifier_is_quoted() {
        assert_eq!(
            index_script("", "a-b</script>"),
            "window[\"a-b\\u003C/script\\u003E\"] = \"\";\n"
        );
        assert_eq!(index_script("", "$ok_1"), "window.$ok_1 = \"\";\n");
        assert!(index_script("", "").starts_with("window[\"\"]"));
        assert!(index_script("", "1a").starts_with("window[\"1a\"]"));
    }
}
