//! Light obfuscation of the quiz data embedded in a page.
//!
//! The runtime grades in the browser, so the page must carry the answers. Obfuscating them
//! only stops a learner from reading the answers at a glance in the page source; anyone who
//! reads this code or runs the page's script gets them back. It is not security, and nothing
//! that must stay secret may rely on it.

use std::fmt;

use crate::arrange::{fnv1a, SplitMix64};

/// Why [`deobfuscate`] could not recover the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input is not standard, padded base64.
    InvalidBase64,
    /// The decoded bytes are not UTF-8: the key is wrong or the input was altered.
    InvalidUtf8,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::InvalidBase64 => f.write_str("the quiz data is not valid base64"),
            DecodeError::InvalidUtf8 => f.write_str("the quiz data does not decode with this key"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// XORs `text` with a keystream derived from `key`, then encodes it as standard base64 with
/// padding. See the module docs: this hides answers from a glance, nothing more.
///
/// ```
/// use didact_quiz::{deobfuscate, obfuscate};
/// let hidden = obfuscate(r#"{"answer":true}"#, "quiz-1");
/// assert!(!hidden.contains("answer"));
/// assert_eq!(deobfuscate(&hidden, "quiz-1").unwrap(), r#"{"answer":true}"#);
/// ```
pub fn obfuscate(text: &str, key: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    xor_keystream(&mut bytes, key);
    encode_base64(&bytes)
}

/// Reverses [`obfuscate`] with the same key.
pub fn deobfuscate(encoded: &str, key: &str) -> Result<String, DecodeError> {
    let mut bytes = decode_base64(encoded.trim()).ok_or(DecodeError::InvalidBase64)?;
    xor_keystream(&mut bytes, key);
    String::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8)
}

fn xor_keystream(bytes: &mut [u8], key: &str) {
    let mut rng = SplitMix64(fnv1a(key.as_bytes()));
    for chunk in bytes.chunks_mut(8) {
        let stream = rng.next().to_le_bytes();
        for (byte, mask) in chunk.iter_mut().zip(stream) {
            *byte ^= mask;
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn encode_base64(bytes: &[u8]) -> String {
    let mut res = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets =
            [n >> 18, n >> 12, n >> 6, n].map(|s| char::from(ALPHABET[(s & 63) as usize]));
        let n_chars = chunk.len() + 1;
        res.extend(&sextets[..n_chars]);
        res.extend(std::iter::repeat_n('=', 4 - n_chars));
    }
    res
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let quads = text.as_bytes().chunks_exact(4);
    if !quads.remainder().is_empty() {
        return None;
    }
    let n_quads = quads.len();
    let mut res = Vec::with_capacity(n_quads * 3);
    for (quad_idx, quad) in quads.enumerate() {
        let n_padding = quad.iter().rev().take_while(|b| **b == b'=').count();
        if n_padding > 2 || (n_padding > 0 && quad_idx + 1 != n_quads) {
            return None;
        }
        let mut n = 0u32;
        for &byte in &quad[..4 - n_padding] {
            n = (n << 6) | sextet(byte)?;
        }
        n <<= 6 * n_padding;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        res.extend_from_slice(&decoded[..3 - n_padding]);
    }
    Some(res)
}

fn sextet(byte: u8) -> Option<u32> {
    let value = match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_round_trip(text: &str, key: &str) {
        let hidden = obfuscate(text, key);
        assert_eq!(deobfuscate(&hidden, key).as_deref(), Ok(text));
    }

    #[test]
    fn obfuscated_text_round_trips() {
        check_round_trip("", "k");
        check_round_trip("a", "k");
        check_round_trip("ab", "k");
        check_round_trip("abc", "");
        check_round_trip(
            r#"{"id":"quiz","questions":[{"prompt":"Qu’est-ce que « Chorus Pro » ?"}]}"#,
            "quiz",
        );
        let long: String = (0..1000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        check_round_trip(&long, "a longer key");
    }

    #[test]
    fn quiz_json_round_trips_through_the_page() {
        let quiz: crate::Quiz = serde_json::from_str(
            r#"{"id": "q", "questions": [{"id": "a", "type": "short_text", "prompt": "Qu’est-ce ?", "answers": ["mise à disposition"]}]}"#,
        )
        .unwrap();
        let hidden = obfuscate(&serde_json::to_string(&quiz).unwrap(), &quiz.id);
        assert!(!hidden.contains("disposition"));
        let json = deobfuscate(&hidden, "q").unwrap();
        assert_eq!(serde_json::from_str::<crate::Quiz>(&json).unwrap(), quiz);
    }

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        // RFC 4648 test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode_base64(plain.as_bytes()), encoded);
            assert_eq!(decode_base64(encoded).as_deref(), Some(plain.as_bytes()));
        }
        let all_bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(decode_base64(&encode_base64(&all_bytes)), Some(all_bytes));
    }

    #[test]
    fn answers_are_not_readable_in_the_output() {
        let hidden = obfuscate(r#""correct":true,"answers":["mise à disposition"]"#, "quiz");
        assert!(!hidden.contains("correct") && !hidden.contains("disposition"));
        assert_ne!(
            obfuscate("same text", "key-1"),
            obfuscate("same text", "key-2")
        );
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert_eq!(deobfuscate("abc", "k"), Err(DecodeError::InvalidBase64));
        assert_eq!(deobfuscate("ab=c", "k"), Err(DecodeError::InvalidBase64));
        assert_eq!(
            deobfuscate("Zg==Zg==", "k"),
            Err(DecodeError::InvalidBase64)
        );
        assert_eq!(deobfuscate("Z===", "k"), Err(DecodeError::InvalidBase64));
        assert_eq!(deobfuscate("<img>", "k"), Err(DecodeError::InvalidBase64));
        let hidden = obfuscate("é", "right");
        assert!(deobfuscate(&hidden, "right").is_ok());
        // A wrong key almost always yields invalid UTF-8 for non-ASCII text.
        assert_eq!(
            deobfuscate(&obfuscate("ééééé", "right"), "wrong"),
            Err(DecodeError::InvalidUtf8)
        );
    }
}
