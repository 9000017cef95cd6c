//! Reading what a learner typed: text folded for comparison, and decimal numbers written the
//! French or the English way.

use rust_decimal::Decimal;

/// Folds text so that answers differing only in case, accents, spacing or apostrophes compare
/// equal: « Mise à disposition » and « mise a  disposition » both give `mise a disposition`.
///
/// 1. lower case;
/// 2. accents of Latin letters removed (`é` → `e`, `ç` → `c`), ligatures spelled out
///    (`œ` → `oe`, `æ` → `ae`, `ß` → `ss`), combining accents dropped;
/// 3. typographic apostrophes (`’`, `‘`, `ʼ`, `′`, `` ` ``) become `'`, non-breaking hyphens `-`;
/// 4. runs of whitespace, non-breaking spaces included, become one space; the ends are trimmed.
///
/// ```
/// assert_eq!(didact_quiz::normalize_text(" L’Œuvre\u{a0}É "), "l'oeuvre e");
/// ```
pub fn normalize_text(text: &str) -> String {
    let mut res = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            pending_space = !res.is_empty();
            continue;
        }
        if is_combining_mark(c) {
            continue;
        }
        if pending_space {
            res.push(' ');
            pending_space = false;
        }
        match fold_char(c) {
            Folded::One(c) => res.push(c),
            Folded::Two(first, second) => {
                res.push(first);
                res.push(second);
            }
        }
    }
    res
}

/// Reads a decimal number as a learner or an author writes it, or `None` if it is not one.
///
/// Accepted, all giving 1234.5: `1234.5`, `1234,5`, `1 234,50`, `1 234,50 €` (when `unit`
/// is `€`), `1234,50€`; also a sign (`-`, `+` or `−`) in front.
///
/// Rules, chosen so that a number never means two things:
/// - the decimal separator is `,` or `.`, and at most one of them may appear: `1.234,5` and
///   `1,234.5` are rejected rather than guessed, so `1.234` is one point two three four;
/// - digits of the integer part may be grouped by threes with one space (normal, non-breaking,
///   narrow or thin), as in `1 234 567`; other spaces inside the number are rejected;
/// - the unit, if given, may follow the number, with or without a space, in any ASCII case;
/// - at most 28 significant digits (the range of [`Decimal`]).
///
/// ```
/// use rust_decimal::Decimal;
/// use didact_quiz::parse_number;
/// assert_eq!(parse_number("1 234,50 €", Some("€")), Some(Decimal::new(12345, 1)));
/// assert_eq!(parse_number("1.234,5", None), None);
/// ```
pub fn parse_number(text: &str, unit: Option<&str>) -> Option<Decimal> {
    let mut rest = text.trim();
    if let Some(unit) = unit.map(str::trim).filter(|unit| !unit.is_empty()) {
        rest = strip_suffix_ignore_ascii_case(rest, unit)
            .unwrap_or(rest)
            .trim_end();
    }
    let mut chars = rest.chars();
    let negative = match chars.next()? {
        '-' | '\u{2212}' => true,
        '+' => false,
        _ => {
            chars = rest.chars();
            false
        }
    };
    let unsigned = chars.as_str();
    let (integer, fraction) = match unsigned.find([',', '.']) {
        Some(separator) => (&unsigned[..separator], Some(&unsigned[separator + 1..])),
        None => (unsigned, None),
    };
    let mut digits = String::with_capacity(unsigned.len() + 1);
    if negative {
        digits.push('-');
    }
    let groups: Vec<&str> = integer.split(char::is_whitespace).collect();
    for (group_idx, group) in groups.iter().enumerate() {
        let well_formed = match group_idx {
            0 if groups.len() == 1 => !group.is_empty(),
            0 => (1..=3).contains(&group.len()),
            _ => group.len() == 3,
        };
        if !well_formed || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(group);
    }
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push('.');
        digits.push_str(fraction);
    }
    Decimal::from_str_exact(&digits).ok()
}

enum Folded {
    One(char),
    Two(char, char),
}

/// Folds one lower-case character. The table covers the letters of French and of the other
/// Western European languages a learner's keyboard produces; anything else is kept as is.
fn fold_char(c: char) -> Folded {
    let one = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}' | '`' => '\'',
        '\u{2010}' | '\u{2011}' => '-',
        'œ' => return Folded::Two('o', 'e'),
        'æ' => return Folded::Two('a', 'e'),
        'ß' => return Folded::Two('s', 's'),
        other => other,
    };
    Folded::One(one)
}

/// Combining diacritical marks, as left by text in decomposed form (`e` + U+0301).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}')
}

fn strip_suffix_ignore_ascii_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let split = text.len().checked_sub(suffix.len())?;
    (text.is_char_boundary(split) && text[split..].eq_ignore_ascii_case(suffix))
        .then(|| &text[..split])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_text(text: &str, expected: &str) {
        assert_eq!(normalize_text(text), expected);
    }

    #[test]
    fn text_is_folded_for_case_accents_spaces_and_apostrophes() {
        check_text("Mise à disposition", "mise a disposition");
        check_text("  MISE   A\tDISPOSITION\n", "mise a disposition");
        check_text("mise\u{a0}à\u{202f}disposition", "mise a disposition");
        check_text("l’entité", "l'entite");
        check_text("l‘entité lʼentité", "l'entite l'entite");
        check_text("Cœur Ægis Straße", "coeur aegis strasse");
        check_text("ÇÀ ÉTÉ Où Île Noël", "ca ete ou ile noel");
        check_text("e\u{301}te\u{301}", "ete");
        check_text("", "");
        check_text(" \u{a0} ", "");
        check_text("n°\u{2011}1", "n°-1");
    }

    #[track_caller]
    fn check_number(text: &str, unit: Option<&str>, expected: Option<&str>) {
        let expected = expected.map(|e| Decimal::from_str_exact(e).unwrap());
        assert_eq!(parse_number(text, unit), expected, "{text:?}");
    }

    #[test]
    fn numbers_with_comma_point_and_grouping_are_read() {
        check_number("1234.5", None, Some("1234.5"));
        check_number("1234,5", None, Some("1234.5"));
        check_number("1 234,50", None, Some("1234.50"));
        check_number("1\u{a0}234,50", None, Some("1234.50"));
        check_number("1\u{202f}234\u{202f}567", None, Some("1234567"));
        check_number("  42  ", None, Some("42"));
        check_number("0,01", None, Some("0.01"));
    }

    #[test]
    fn signs_are_read() {
        check_number("-12,5", None, Some("-12.5"));
        check_number("\u{2212}12,5", None, Some("-12.5"));
        check_number("+3", None, Some("3"));
    }

    #[test]
    fn unit_may_follow_the_number() {
        check_number("1 234,50 €", Some("€"), Some("1234.50"));
        check_number("1234,50€", Some("€"), Some("1234.50"));
        check_number("20 EUR", Some("eur"), Some("20"));
        check_number("20", Some("€"), Some("20"));
        check_number("20 €", None, None);
        check_number("20 kg", Some("€"), None);
    }

    #[test]
    fn ambiguous_or_malformed_numbers_are_rejected() {
        for text in [
            "1.234,5",
            "1,234.5",
            "1.234.567",
            "12 34",
            "1234 567",
            "1  234",
            "1 234 ,5",
            "12,",
            ",5",
            "",
            "-",
            "- 5",
            "1e3",
            "0x10",
            "douze",
            "<img src=x onerror=alert(1)>",
            "12,3 4",
            "١٢",
            "99999999999999999999999999999",
        ] {
            check_number(text, Some("€"), None);
        }
    }

    #[test]
    fn long_numbers_within_decimal_precision_are_read() {
        check_number("0000000000000000000000000000001", None, Some("1"));
        check_number(
            "1234567890123456789012345678",
            None,
            Some("1234567890123456789012345678"),
        );
    }
}
