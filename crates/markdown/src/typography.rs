//! French typography and heading slugs.

/// Apply French typography to a text run produced with smart punctuation on:
/// English curly quotes become guillemets with no-break spaces, a space before `:` `;` `?` `!`
/// and inside guillemets becomes a no-break space, straight apostrophes become `’`.
pub fn french_typography(text: &str) -> String {
    let mut res = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '“' => {
                res.push('«');
                res.push('\u{a0}');
            }
            '”' => {
                if res.ends_with(' ') {
                    res.pop();
                }
                res.push('\u{a0}');
                res.push('»');
            }
            '\'' => res.push('’'),
            ':' | ';' | '?' | '!' | '»' if res.ends_with(' ') => {
                // « http://x » keeps its space-free colon; only a spaced colon is changed.
                res.pop();
                res.push('\u{a0}');
                res.push(c);
            }
            ' ' if i > 0 && chars[i - 1] == '«' => res.push('\u{a0}'),
            c => res.push(c),
        }
    }
    res
}

/// A heading id from its text: lower case, accents folded, dashes between words.
pub fn slugify(text: &str) -> String {
    let mut res = String::new();
    let mut dash = false;
    for c in text.chars() {
        let folded: &str = match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
            'î' | 'ï' | 'Î' | 'Ï' => "i",
            'ô' | 'ö' | 'Ô' | 'Ö' => "o",
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => "u",
            'ç' | 'Ç' => "c",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ÿ' => "y",
            _ => "",
        };
        if !folded.is_empty() {
            if dash && !res.is_empty() {
                res.push('-');
            }
            dash = false;
            res.push_str(folded);
        } else if c.is_ascii_alphanumeric() {
            if dash && !res.is_empty() {
                res.push('-');
            }
            dash = false;
            res.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    res
}
