//! Reading JSON in the wasm module with little code: the text is parsed once into a [`Json`]
//! tree by non-generic code, and serde types are deserialised from the tree.
//!
//! `serde_json::from_str` inlines its parser into the deserialiser of every struct it reads
//! (and instantiates `visit_seq` next to `visit_map`, as a JSON array may stand for a struct):
//! with the spec, scenario and saved-state types that was about a third of the module. Here
//! the per-type code is only the derive's `visit_map`, driven by a small `MapAccess`. A struct
//! must be a JSON object (never an array); everything else reads as with `serde_json`.
//! Writing JSON stays with `serde_json::to_string`, whose per-type code is small.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
use serde::forward_to_deserialize_any;

/// A parsed JSON value. Numbers keep their text (each target type reads its own), except
/// non-negative integers that fit a `u64`: the search index holds hundreds of thousands.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A non-negative integer that fits a `u64`.
    Unsigned(u64),
    /// Any other number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, its members in the order written.
    Object(Vec<(String, Json)>),
}

/// Why a JSON text could not be read as the expected value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

/// Parses `text` and deserialises a `T` from it.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    from_value(parse(text)?)
}

/// Deserialises a `T` from a parsed value.
pub fn from_value<T: DeserializeOwned>(value: Json) -> Result<T, Error> {
    T::deserialize(value)
}

/// Parses a JSON text (RFC 8259; surrounding whitespace allowed, nothing after the value).
pub fn parse(text: &str) -> Result<Json, Error> {
    let mut parser = Parser {
        text: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let res = parser.value()?;
    parser.skip_whitespace();
    if parser.pos != parser.text.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(res)
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// The value of a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Unsigned(value) => Some(*value),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// What a value is, for error messages.
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Unsigned(_) | Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }

    // serde's own wording, but without its `Display` of `Unexpected`, whose float branch
    // brings the float formatting code (20 kB) into the module.
    fn invalid_type(unexpected: de::Unexpected, expected: &dyn de::Expected) -> Error {
        Error(format!(
            "invalid type: {}, expected {expected}",
            describe(unexpected)
        ))
    }

    fn invalid_value(unexpected: de::Unexpected, expected: &dyn de::Expected) -> Error {
        Error(format!(
            "invalid value: {}, expected {expected}",
            describe(unexpected)
        ))
    }
}

/// What [`de::Unexpected`]'s `Display` says, except that a float is not written out.
fn describe(unexpected: de::Unexpected) -> String {
    use de::Unexpected as U;
    match unexpected {
        U::Bool(value) => format!("boolean `{value}`"),
        U::Unsigned(value) => format!("integer `{value}`"),
        U::Signed(value) => format!("integer `{value}`"),
        U::Float(_) => "floating point number".to_owned(),
        U::Char(value) => format!("character `{value}`"),
        U::Str(value) => format!("string {value:?}"),
        U::Bytes(_) => "byte array".to_owned(),
        U::Unit => "unit value".to_owned(),
        U::Option => "Option value".to_owned(),
        U::NewtypeStruct => "newtype struct".to_owned(),
        U::Seq => "sequence".to_owned(),
        U::Map => "map".to_owned(),
        U::Enum => "enum".to_owned(),
        U::UnitVariant => "unit variant".to_owned(),
        U::NewtypeVariant => "newtype variant".to_owned(),
        U::TupleVariant => "tuple variant".to_owned(),
        U::StructVariant => "struct variant".to_owned(),
        U::Other(other) => other.to_owned(),
    }
}

/// Nesting deeper than this is refused, as `serde_json` does, so a hostile saved value cannot
/// overflow the stack.
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> Error {
        Error(format!("{what} at byte {}", self.pos))
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.text.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.text.get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), Error> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", byte as char)))
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, Error> {
        if self.text[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn value(&mut self) -> Result<Json, Error> {
        match self.peek() {
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b'[') => self.nested(Parser::array),
            Some(b'{') => self.nested(Parser::object),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of the text")),
        }
    }

    fn nested(&mut self, parse: fn(&mut Self) -> Result<Json, Error>) -> Result<Json, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.pos += 1;
        let res = parse(self);
        self.depth -= 1;
        res
    }

    fn array(&mut self) -> Result<Json, Error> {
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Json, Error> {
        let mut members = Vec::new();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a key"));
            }
            let key = self.string()?;
            self.expect(b':')?;
            members.push((key, self.value()?));
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn number(&mut self) -> Result<Json, Error> {
        let start = self.pos;
        if self.text[self.pos] == b'-' {
            self.pos += 1;
        }
        let int_start = self.pos;
        self.digits();
        let int = &self.text[int_start..self.pos];
        if int.is_empty() || (int.len() > 1 && int[0] == b'0') {
            return Err(self.error("invalid number"));
        }
        if self.text.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.text.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.text.get(self.pos) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if start == int_start && self.pos == int_start + int.len() {
            // Digits only: no sign, fraction or exponent.
            let value = int.iter().try_fold(0u64, |acc, &digit| {
                acc.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
            });
            if let Some(value) = value {
                return Ok(Json::Unsigned(value));
            }
        }
        // Only ASCII was consumed.
        let text = String::from_utf8_lossy(&self.text[start..self.pos]).into_owned();
        Ok(Json::Number(text))
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.text.get(self.pos) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A string, from its opening quote.
    fn string(&mut self) -> Result<String, Error> {
        self.pos += 1;
        let mut res = Vec::new();
        loop {
            let Some(&byte) = self.text.get(self.pos) else {
                return Err(self.error("unterminated string"));
            };
            self.pos += 1;
            match byte {
                b'"' => break,
                b'\\' => {
                    let Some(&escape) = self.text.get(self.pos) else {
                        return Err(self.error("unterminated string"));
                    };
                    self.pos += 1;
                    let unescaped = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape")),
                    };
                    let mut buf = [0; 4];
                    res.extend_from_slice(unescaped.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(self.error("control character in a string")),
                _ => res.push(byte),
            }
        }
        // The input is a `&str` and escapes were encoded as UTF-8: always valid.
        String::from_utf8(res).map_err(|_| self.error("invalid UTF-8"))
    }

    /// The character of `\uXXXX` (after the `u`), joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let high = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&high) {
            if !self.text[self.pos..].starts_with(b"\\u") {
                return Err(self.error("unpaired surrogate"));
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xdc00..0xe000).contains(&low) {
                return Err(self.error("unpaired surrogate"));
            }
            0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid escape"))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .and_then(|digits| u32::from_str_radix(digits, 16).ok())
            .ok_or_else(|| self.error("invalid escape"))?;
        self.pos += 4;
        Ok(digits)
    }
}

fn invalid_type(value: &Json, expected: &str) -> Error {
    Error(format!(
        "invalid type: {}, expected {expected}",
        value.kind()
    ))
}

fn visit_number<'de, V: Visitor<'de>>(text: &str, visitor: V) -> Result<V::Value, Error> {
    if let Ok(value) = text.parse::<u64>() {
        visitor.visit_u64(value)
    } else if let Ok(value) = text.parse::<i64>() {
        visitor.visit_i64(value)
    } else {
        // No type the runtime reads holds a fraction: keeping the float parser out of the
        // module is worth refusing one.
        Err(Error(format!("unsupported number {text}")))
    }
}

impl<'de> de::Deserializer<'de> for Json {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Json::Null => visitor.visit_unit(),
            Json::Bool(value) => visitor.visit_bool(value),
            Json::Unsigned(value) => visitor.visit_u64(value),
            Json::Number(text) => visit_number(&text, visitor),
            Json::String(text) => visitor.visit_string(text),
            Json::Array(items) => visit_array(items, visitor),
            Json::Object(members) => visitor.visit_map(Members {
                members: members.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Json::Null => visitor.visit_none(),
            value => visitor.visit_some(value),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Only from an object: a struct written as an array is refused, so the derive's
    /// `visit_seq` is never instantiated.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Json::Object(members) => visitor.visit_map(Members {
                members: members.into_iter(),
                value: None,
            }),
            other => Err(invalid_type(&other, "an object")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Json::String(variant) => visitor.visit_enum(Variant {
                variant,
                value: Json::Null,
            }),
            Json::Object(members) if members.len() == 1 => {
                let (variant, value) = members.into_iter().next().expect("one member");
                visitor.visit_enum(Variant { variant, value })
            }
            other => Err(invalid_type(&other, "an enum")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    // The methods below call the one `visit_*` their type accepts, where `deserialize_any`
    // would instantiate every `visit_*` (mostly "invalid type" errors) of every visitor.

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Json::Bool(value) => visitor.visit_bool(value),
            other => Err(invalid_type(&other, "a boolean")),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Json::Unsigned(value) => visitor.visit_u64(value),
            // Every unsigned integer that fits was read as `Unsigned`.
            Json::Number(text) => Err(Error(format!(
                "invalid value: {text}, expected an unsigned integer"
            ))),
            other => Err(invalid_type(&other, "an unsigned integer")),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Json::Unsigned(value) => match i64::try_from(value) {
                Ok(value) => visitor.visit_i64(value),
                Err(_) => Err(Error(format!(
                    "invalid value: {value}, expected an integer"
                ))),
            },
            Json::Number(text) => match text.parse() {
                Ok(value) => visitor.visit_i64(value),
                Err(_) => Err(Error(format!("invalid value: {text}, expected an integer"))),
            },
            other => Err(invalid_type(&other, "an integer")),
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Json::String(text) => visitor.visit_string(text),
            other => Err(invalid_type(&other, "a string")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Json::Null => visitor.visit_unit(),
            other => Err(invalid_type(&other, "null")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Json::Array(items) => visit_array(items, visitor),
            other => Err(invalid_type(&other, "an array")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Json::Object(members) => visitor.visit_map(Members {
                members: members.into_iter(),
                value: None,
            }),
            other => Err(invalid_type(&other, "an object")),
        }
    }

    forward_to_deserialize_any! {
        i128 u128 f32 f64 bytes byte_buf
    }
}

/// Visits the items of an array, which the visitor must all take: a tuple (or tuple struct)
/// of three read from four items is an error, as with `serde_json`.
fn visit_array<'de, V: Visitor<'de>>(items: Vec<Json>, visitor: V) -> Result<V::Value, Error> {
    let mut items = Items(items.into_iter());
    let res = visitor.visit_seq(&mut items)?;
    match items.0.len() {
        0 => Ok(res),
        left => Err(Error(format!(
            "{left} more items than expected in an array"
        ))),
    }
}

/// The items of an array.
struct Items(std::vec::IntoIter<Json>);

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|item| seed.deserialize(item)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The members of an object.
struct Members {
    members: std::vec::IntoIter<(String, Json)>,
    value: Option<Json>,
}

impl<'de> de::MapAccess<'de> for Members {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(Key(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| Error("a value asked before its key".to_owned()))?;
        seed.deserialize(value)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// An object key: a string, or an integer written as a string (`BTreeMap<u64, _>`).
struct Key(String);

impl<'de> de::Deserializer<'de> for Key {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.0)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str(&self.0)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visit_number(&self.0, visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visit_number(&self.0, visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visit_number(&self.0, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(Variant {
            variant: self.0,
            value: Json::Null,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i128 u8 u16 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct seq tuple tuple_struct map struct ignored_any
    }
}

/// An enum value: the variant's name and its content (`null` for a unit variant).
struct Variant {
    variant: String,
    value: Json,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Json;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Json), Error> {
        let variant = seed.deserialize(Key(self.variant))?;
        Ok((variant, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for Json {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self {
            Json::Null => Ok(()),
            other => Err(invalid_type(&other, "null (a unit variant)")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::{from_str, parse, Json};

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Record {
        name: String,
        count: u32,
        delta: i64,
        #[serde(default)]
        note: Option<String>,
        flags: Vec<bool>,
        kind: Kind,
        by_id: BTreeMap<u64, String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Wrapped(u8),
        Shaped { size: u16 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum Tagged {
        One { value: String },
        Two,
    }

    #[track_caller]
    fn check<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        text: &str,
        expected: T,
    ) {
        assert_eq!(from_str::<T>(text).unwrap(), expected);
        assert_eq!(
            serde_json::from_str::<T>(text).unwrap(),
            expected,
            "serde_json agrees"
        );
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#" {"name": "a\"b\\c\u00e9\ud83d\ude00\n", "count": 3, "delta": -7, "flags": [true, false],
            "kind": {"shaped": {"size": 2}}, "by_id": {"12": "douze"}} "#;
        check(
            text,
            Record {
                name: "a\"b\\cé😀\n".to_owned(),
                count: 3,
                delta: -7,
                note: None,
                flags: vec![true, false],
                kind: Kind::Shaped { size: 2 },
                by_id: BTreeMap::from([(12, "douze".to_owned())]),
            },
        );
        check(r#""plain""#, Kind::Plain);
        check(r#"{"wrapped": 4}"#, Kind::Wrapped(4));
        check(
            r#"{"type": "one", "value": "x"}"#,
            Tagged::One {
                value: "x".to_owned(),
            },
        );
        check(r#"{"type": "two"}"#, Tagged::Two);
        check(r#"[null, "é"]"#, vec![None, Some("é".to_owned())]);
        check(r#"{}"#, BTreeMap::<String, u8>::new());
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for text in [
            "",
            "{",
            r#"{"a" 1}"#,
            "[1,]",
            "01",
            "1.",
            "-",
            "tru",
            r#""\x""#,
            "\"a\nb\"",
            r#""\ud83d""#,
            "1 2",
            "{\"version\": 1, \"world\": 42",
        ] {
            assert!(parse(text).is_err(), "{text:?} was accepted");
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err(),
                "{text:?}"
            );
        }
        assert!(from_str::<u8>("256").is_err());
        assert!(from_str::<u32>("-1").is_err());
        assert!(from_str::<Kind>(r#"{"shaped": {"size": 2, "other": 1}}"#).is_ok());
        let unknown = r#"{"name": "", "count": 0, "delta": 0, "flags": [], "kind": "plain", "by_id": {}, "x": 1}"#;
        assert!(from_str::<Record>(unknown)
            .unwrap_err()
            .to_string()
            .contains("unknown field"));
    }

    #[test]
    fn a_struct_is_an_object_only() {
        #[derive(Debug, Deserialize)]
        struct Pair {
            _a: u8,
        }
        assert!(from_str::<Pair>("[1]").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        assert!(parse(&text)
            .unwrap_err()
            .to_string()
            .contains("nested too deeply"));
        assert!(parse(&format!("{}{}", "[".repeat(100), "]".repeat(100))).is_ok());
    }

    #[test]
    fn integers_that_fit_a_u64_are_read_without_their_text() {
        assert_eq!(parse("12").unwrap(), Json::Unsigned(12));
        assert_eq!(parse("-1").unwrap(), Json::Number("-1".to_owned()));
        assert_eq!(parse("1e2").unwrap(), Json::Number("1e2".to_owned()));
        check("[0, 18446744073709551615]", vec![0u64, u64::MAX]);
        check("[-3, 9223372036854775807]", vec![-3i64, i64::MAX]);
        assert!(from_str::<u64>("18446744073709551616").is_err());
        assert!(from_str::<i64>("9223372036854775808").is_err());
        assert!(from_str::<u32>("1.5").is_err());
    }

    #[test]
    fn a_tuple_takes_every_item_of_its_array() {
        check("[1, \"a\"]", (1u8, "a".to_owned()));
        for text in ["[1, \"a\", 2]", "[1]"] {
            assert!(from_str::<(u8, String)>(text).is_err(), "{text}");
            assert!(
                serde_json::from_str::<(u8, String)>(text).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn type_errors_read_as_serde_json_words_them() {
        for (ours, theirs) in [
            (
                from_str::<u8>("256").unwrap_err().to_string(),
                serde_json::from_str::<u8>("256").unwrap_err().to_string(),
            ),
            (
                from_str::<char>(r#""ab""#).unwrap_err().to_string(),
                serde_json::from_str::<char>(r#""ab""#)
                    .unwrap_err()
                    .to_string(),
            ),
        ] {
            assert!(theirs.starts_with(&ours), "{ours} / {theirs}");
        }
        assert_eq!(
            from_str::<Kind>(r#""round""#).unwrap_err().to_string(),
            "unknown variant `round`, expected one of `plain`, `wrapped`, `shaped`"
        );
    }

    #[test]
    fn the_search_index_reads_as_with_serde_json() {
        use didact_search::{build_index, DocKind, Document, Index, Section};

        let section = |anchor: &'static str, heading: &'static str, text: &'static str| Section {
            anchor: anchor.into(),
            heading: heading.into(),
            text: text.into(),
        };
        let docs = [
            Document {
                url: "a.html".into(),
                title: "Le numéro SIRET".into(),
                module: Some("Vocabulaire".into()),
                sections: vec![
                    section("", "", "Le SIRET identifie un établissement."),
                    section("cle", "La clé", "Sécurité : la clé de contrôle de Luhn."),
                ],
                kind: DocKind::Page,
            },
            Document {
                url: "b.html".into(),
                title: "Déposer une facture".into(),
                module: None,
                sections: vec![section("", "", "Saisir le SIRET du destinataire.")],
                kind: DocKind::Module,
            },
        ];
        let text = build_index(&docs).to_json();
        let ours = from_str::<Index>(&text).unwrap().checked().unwrap();
        let theirs = Index::from_json(&text).unwrap();
        for query in ["siret", "securite", "cle", "depos", "absent"] {
            assert_eq!(ours.search(query, 10), theirs.search(query, 10), "{query}");
        }
        assert!(!ours.search("siret", 10).is_empty());
    }

    #[test]
    fn members_are_found_by_key() {
        let value = parse(r#"{"version": 2, "format": "x", "list": []}"#).unwrap();
        assert_eq!(value.get("version").and_then(Json::as_u64), Some(2));
        assert_eq!(value.get("format").and_then(Json::as_str), Some("x"));
        assert_eq!(value.get("list"), Some(&Json::Array(Vec::new())));
        assert_eq!(value.get("missing"), None);
    }
}
