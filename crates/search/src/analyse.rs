//! French text analysis: the one place that turns text into search terms.
//!
//! The same code runs on both sides (the build indexes with it, the browser analyses queries
//! and excerpts with it), so a word always becomes the same term. For each word:
//!
//! 1. split the text on anything that is not a letter or a digit, keeping the byte range;
//! 2. drop elided articles and pronouns (`l’`, `d’`, `qu’`, `jusqu’` …, with ’, ' or ʼ);
//! 3. lower-case, expand the ligatures œ → oe and æ → ae, compose decomposed accents;
//! 4. fold the accents to get the *word* (`équipement` → `equipement`), used for stop words
//!    and prefix search;
//! 5. drop stop words and single letters;
//! 6. stem the accented lower-case word with Snowball French, then fold the stem's accents:
//!    that is the *term* (`sécurité` → `sécur` → `secur`). Words with a digit (`a1`,
//!    `12345678900012`) are not stemmed: their term is the word.
//!
//! What Snowball French conflates (checked by the tests below): `facture`, `factures`,
//! `facturé`, `facturée`, `facturer`, `facturation`, `facturations` all give `factur`;
//! `équipement`/`équipements` give `equip`; `entreprise`/`entreprises` give `entrepris`.
//! What it does not conflate: `facturier` (`facturi`), and unaccented spellings of words whose
//! suffix Snowball only knows accented (`securite` → `securit` while `sécurité` → `secur`).
//! The index bridges the second case with aliases (see `crate::index`).

use std::ops::Range;

/// One indexed word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the word in the analysed text (elided prefixes excluded), for highlighting.
    pub range: Range<usize>,
    /// The word lower-cased with accents folded (`Équipements` → `equipements`).
    pub word: String,
    /// The search term: the folded Snowball stem (`equip`), or the word itself if it holds a
    /// digit.
    pub term: String,
}

/// Splits French text into search tokens: stop words, single letters and elided prefixes are
/// dropped; every other word keeps its byte range in `text`.
///
/// ```
/// let tokens = didact_search::tokens("L’entreprise facture");
/// let terms: Vec<&str> = tokens.iter().map(|token| token.term.as_str()).collect();
/// assert_eq!(terms, ["entrepris", "factur"]);
/// assert_eq!(tokens[0].range, 4..14);
/// ```
pub fn tokens(text: &str) -> Vec<Token> {
    word_runs(text)
        .into_iter()
        .filter_map(|range| {
            let info = analyse_word(&text[range.clone()]);
            (!info.stop).then_some(Token {
                range,
                word: info.word,
                term: info.term,
            })
        })
        .collect()
}

/// Lower-cases `text` and folds its accents and ligatures (`Œuvre Équipée` → `oeuvre
/// equipee`); other characters are kept.
pub fn fold_accents(text: &str) -> String {
    let mut res = String::with_capacity(text.len());
    push_folded(&mut res, &lower_word(text));
    res
}

/// The analysis of one word run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WordInfo {
    /// Lower case, accents folded.
    pub word: String,
    /// The search term (equal to `word` for stop words).
    pub term: String,
    /// Snowball applied to the folded word: what an unaccented query for this word stems to.
    pub alias: String,
    /// A stop word or a single letter: not indexed.
    pub stop: bool,
}

/// Byte ranges of the words of `text`, without elided prefixes.
pub(crate) fn word_runs(text: &str) -> Vec<Range<usize>> {
    let mut res = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_word_char(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(idx, c)) = chars.peek() {
            if !is_word_char(c) {
                break;
            }
            end = idx + c.len_utf8();
            chars.next();
        }
        let followed_by_apostrophe = chars.peek().is_some_and(|&(_, c)| is_apostrophe(c));
        if followed_by_apostrophe && is_elision(&text[start..end]) {
            continue;
        }
        res.push(start..end);
    }
    res
}

/// Analyses one word run (as found by [`word_runs`]).
pub(crate) fn analyse_word(raw: &str) -> WordInfo {
    let lower = lower_word(raw);
    let mut word = String::with_capacity(lower.len());
    push_folded(&mut word, &lower);
    let has_digit = word.chars().any(char::is_numeric);
    let stop = !has_digit && (word.chars().count() < 2 || is_stop_word(&word));
    if stop || has_digit {
        return WordInfo {
            term: word.clone(),
            alias: word.clone(),
            word,
            stop,
        };
    }
    let mut term = String::with_capacity(lower.len());
    push_folded(&mut term, &stem(&lower));
    let alias = stem(&word);
    WordInfo {
        word,
        term,
        alias,
        stop,
    }
}

/// Snowball French stem of a lower-case word.
fn stem(lower: &str) -> String {
    rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French)
        .stem(lower)
        .into_owned()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_accent(c)
}

fn is_combining_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2bc}')
}

fn is_elision(raw: &str) -> bool {
    const ELISIONS: [&str; 12] = [
        "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "s", "t",
    ];
    raw.len() <= 6 && ELISIONS.contains(&raw.to_lowercase().as_str())
}

/// Lower-cases a word, expands œ/æ and composes decomposed French accents, so the stemmer
/// sees `é` whether the text had U+00E9 or `e` + U+0301.
fn lower_word(raw: &str) -> String {
    let mut res = String::with_capacity(raw.len());
    for c in raw.chars().flat_map(char::to_lowercase) {
        match c {
            'œ' => res.push_str("oe"),
            'æ' => res.push_str("ae"),
            c if is_combining_accent(c) => {
                if let Some(composed) = res.chars().last().and_then(|base| compose(base, c)) {
                    res.pop();
                    res.push(composed);
                }
            }
            c => res.push(c),
        }
    }
    res
}

fn compose(base: char, mark: char) -> Option<char> {
    let composed = match (base, mark) {
        ('a', '\u{300}') => 'à',
        ('a', '\u{302}') => 'â',
        ('a', '\u{308}') => 'ä',
        ('e', '\u{300}') => 'è',
        ('e', '\u{301}') => 'é',
        ('e', '\u{302}') => 'ê',
        ('e', '\u{308}') => 'ë',
        ('i', '\u{302}') => 'î',
        ('i', '\u{308}') => 'ï',
        ('o', '\u{302}') => 'ô',
        ('o', '\u{308}') => 'ö',
        ('u', '\u{300}') => 'ù',
        ('u', '\u{302}') => 'û',
        ('u', '\u{308}') => 'ü',
        ('y', '\u{308}') => 'ÿ',
        ('c', '\u{327}') => 'ç',
        ('n', '\u{303}') => 'ñ',
        _ => return None,
    };
    Some(composed)
}

/// Appends `lower` to `out` with accents folded (expects [`lower_word`] output).
fn push_folded(out: &mut String, lower: &str) {
    for c in lower.chars() {
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
            'ý' | 'ÿ' => 'y',
            'œ' => {
                out.push_str("oe");
                continue;
            }
            'æ' => {
                out.push_str("ae");
                continue;
            }
            'ß' => {
                out.push_str("ss");
                continue;
            }
            c if is_combining_accent(c) => continue,
            c => c,
        };
        out.push(folded);
    }
}

/// Folded French stop words, sorted for binary search.
const STOP_WORDS: &[&str] = &[
    "ai", "aie", "aient", "ait", "alors", "as", "au", "aux", "avec", "avez", "avons", "ce", "ceci",
    "cela", "celle", "celles", "celui", "ces", "cet", "cette", "ceux", "ci", "comme", "dans", "de",
    "des", "donc", "du", "elle", "elles", "en", "es", "est", "et", "etaient", "etait", "etant",
    "ete", "etes", "etre", "eu", "eux", "il", "ils", "je", "la", "le", "les", "leur", "leurs",
    "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "ni", "nos", "notre", "nous",
    "on", "ont", "or", "ou", "par", "pas", "pour", "qu", "que", "quel", "quelle", "quelles",
    "quels", "qui", "sa", "sans", "se", "sera", "ses", "si", "soit", "son", "sont", "sur", "ta",
    "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous",
];

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_terms(text: &str, expected: &[&str]) {
        let terms: Vec<String> = tokens(text).into_iter().map(|token| token.term).collect();
        assert_eq!(terms, expected, "terms of {text:?}");
    }

    #[track_caller]
    fn check_same_term(words: &[&str]) {
        let first = &analyse_word(words[0]).term;
        for word in words {
            assert_eq!(&analyse_word(word).term, first, "term of {word:?}");
        }
    }

    #[test]
    fn stop_word_list_is_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn accents_are_folded_after_stemming() {
        check_terms("Équipement sécurité", &["equip", "secur"]);
    }

    #[test]
    fn invoice_words_share_a_stem() {
        check_same_term(&[
            "facture",
            "factures",
            "facturé",
            "facturée",
            "facturer",
            "facturation",
            "facturations",
            "FACTURÉES",
        ]);
    }

    #[test]
    fn facturier_is_not_conflated_with_facture() {
        assert_ne!(analyse_word("facturier").term, analyse_word("facture").term);
    }

    #[test]
    fn unaccented_spelling_may_stem_differently_but_alias_matches() {
        let accented = analyse_word("sécurité");
        let plain = analyse_word("securite");
        assert_eq!(accented.term, "secur");
        assert_eq!(plain.term, "securit");
        assert_eq!(accented.alias, plain.term);
    }

    #[test]
    fn elisions_are_dropped_with_both_apostrophes() {
        check_terms(
            "l’entreprise d'équipement qu’il jusqu’au lorsqu'on puisqu’elle n’a s’inscrire c’est j’ai m’a t’a",
            &["entrepris", "equip", "inscrir"],
        );
        let tokens = tokens("l’entreprise");
        assert_eq!(&"l’entreprise"[tokens[0].range.clone()], "entreprise");
    }

    #[test]
    fn elision_letters_are_kept_when_not_elided() {
        // `qu` alone is a stop word; a word that merely ends before an apostrophe is kept.
        check_terms("aujourd’hui", &["aujourd", "hui"]);
    }

    #[test]
    fn stop_words_and_single_letters_are_dropped() {
        check_terms("Le dépôt de la facture et à y", &["depot", "factur"]);
    }

    #[test]
    fn codes_and_numbers_are_kept_unstemmed() {
        check_terms(
            "cadre A1, A9 ou A12 ; SIRET 12345678900012",
            &["cadr", "a1", "a9", "a12", "siret", "12345678900012"],
        );
    }

    #[test]
    fn single_digits_are_kept() {
        check_terms("étape 2", &["etap", "2"]);
    }

    #[test]
    fn ranges_point_at_the_original_words() {
        let text = "« Œuvre » d’ÉQUIPEMENT";
        let words: Vec<&str> = tokens(text)
            .iter()
            .map(|token| &text[token.range.clone()])
            .collect();
        assert_eq!(words, ["Œuvre", "ÉQUIPEMENT"]);
    }

    #[test]
    fn decomposed_accents_stem_like_composed_ones() {
        check_terms(
            "se\u{301}curite\u{301} e\u{301}quipements",
            &["secur", "equip"],
        );
    }

    #[test]
    fn ligatures_are_expanded() {
        assert_eq!(fold_accents("Œuvre ÆTHER ça"), "oeuvre aether ca");
    }
}
