//! The progress document: everything a learner saved for one course, as one versioned JSON
//! value that can be merged with another copy of itself without losing anything.
//!
//! A document maps each storage name (`quiz:quiz-voc`, `results`, `read:vocabulaire/index`…,
//! the part of the `localStorage` key after `didact:<course>:`) to an [`Entry`]: the saved text,
//! or `None` once the value was removed, stamped with the time it was written. Two copies
//! merge entry by entry, the newer write winning; `cleared` is the time of the last
//! « Réinitialiser », and every entry written before it is gone. The merge is commutative,
//! associative and idempotent, so pages, the storage hub and imported files can exchange
//! documents in any order and always agree.
//!
//! The same format is the export file; [`parse_import`] validates one and explains, in French
//! for the learner, why a file is refused.

use didact_map::VecMap;

use serde::{Deserialize, Serialize};

use crate::json::{self, Json};

/// The `format` marker of a progress document.
pub const FORMAT: &str = "didact-progress";
/// The current format version. A document of another version is refused, never guessed at.
pub const VERSION: u32 = 1;
/// The largest file [`parse_import`] reads, in bytes.
pub const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;
/// Storage names whose value must be a JSON object (the course-wide summaries).
const JSON_OBJECT_NAMES: &[&str] = &["results", "exercises"];

/// Every saved value of one course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// The course id (`[course] id` of `book.toml`).
    pub course: String,
    /// Milliseconds since the epoch of the last reset; entries written before are dropped.
    #[serde(default)]
    pub cleared: u64,
    /// When the document was exported, for the learner's information only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported: Option<String>,
    /// Storage name → value.
    #[serde(default)]
    pub entries: VecMap<String, Entry>,
}

/// One saved value and when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Milliseconds since the epoch of the write.
    pub t: u64,
    /// The saved text; `None` when the value was removed (so the removal wins over older
    /// copies still held elsewhere).
    pub value: Option<String>,
}

/// Why a file cannot be imported. The `Display` text is for the learner (French).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Larger than [`MAX_IMPORT_BYTES`].
    TooLarge,
    /// Not JSON at all.
    NotJson,
    /// JSON, but not a progress document.
    Foreign,
    /// A progress document of an older format version.
    OldVersion(u64),
    /// A progress document of a newer format version.
    NewVersion(u64),
    /// A progress document of another course.
    OtherCourse(String),
    /// A progress document that does not follow the format.
    Damaged(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge => write!(f, "Ce fichier est trop volumineux pour être une sauvegarde de progression."),
            ImportError::NotJson => write!(f, "Ce fichier n’est pas une sauvegarde de progression : son contenu est illisible."),
            ImportError::Foreign => write!(f, "Ce fichier n’est pas une sauvegarde de progression de ce site."),
            ImportError::OldVersion(version) => write!(f, "Cette sauvegarde a été créée par une ancienne version du site (format {version}), qui n’est plus prise en charge."),
            ImportError::NewVersion(version) => write!(f, "Cette sauvegarde a été créée par une version plus récente du site (format {version}). Utilisez la dernière version du cours pour l’importer."),
            ImportError::OtherCourse(course) => write!(f, "Cette sauvegarde concerne un autre cours (« {course} »)."),
            ImportError::Damaged(why) => write!(f, "Cette sauvegarde est endommagée ({why})."),
        }
    }
}

impl std::error::Error for ImportError {}

impl Document {
    /// An empty document of `course`.
    pub fn new(course: &str) -> Document {
        Document {
            format: FORMAT.to_owned(),
            version: VERSION,
            course: course.to_owned(),
            cleared: 0,
            exported: None,
            entries: VecMap::new(),
        }
    }

    /// The saved text of `name`, if any.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.entries.get(name)?.value.as_deref()
    }

    /// The document as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a document always serialises")
    }

    /// The document as indented JSON, for an export file a person may open.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a document always serialises")
    }

    /// Drops the entries written before the last reset.
    fn prune(&mut self) {
        let cleared = self.cleared;
        self.entries.retain(|_, entry| entry.t > cleared);
    }
}

/// The union of two copies of a course's document: per name the newer entry (on a tie, a
/// removal, then the greater text, so the result never depends on the order), the later
/// reset, and nothing written before that reset. `a` and `b` must be of the same course; the
/// result has `a`'s course.
pub fn merge(a: &Document, b: &Document) -> Document {
    let mut res = Document::new(&a.course);
    res.cleared = a.cleared.max(b.cleared);
    res.entries = a.entries.clone();
    for (name, theirs) in &b.entries {
        match res.entries.get(name) {
            Some(ours) if !wins(theirs, ours) => {}
            _ => {
                res.entries.insert(name.clone(), theirs.clone());
            }
        }
    }
    res.prune();
    res
}

/// Imports `file` into `local`: the entries of the file join the local ones as in [`merge`],
/// but the file's reset marker is ignored (importing never erases local progress) and the
/// file's entries written before the local reset are kept, as if written just after it (the
/// learner asked for them back).
pub fn merge_import(local: &Document, file: &Document) -> Document {
    let mut revived = file.clone();
    revived.cleared = 0;
    for entry in revived.entries.values_mut() {
        entry.t = entry.t.max(local.cleared + 1);
    }
    merge(local, &revived)
}

/// Parses a document written by this runtime (the hub's copy, a page's snapshot). Anything
/// else is an error; see [`parse_import`] for files chosen by a person.
pub fn parse(text: &str, course: &str) -> Result<Document, ImportError> {
    parse_import(text, course)
}

/// Validates a file the learner chose to import: a progress document of this `course` and
/// of the current format, with well-formed entries.
pub fn parse_import(text: &str, course: &str) -> Result<Document, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value = json::parse(text).map_err(|_| ImportError::NotJson)?;
    if value.get("format").and_then(Json::as_str) != Some(FORMAT) {
        return Err(ImportError::Foreign);
    }
    match value.get("version").and_then(Json::as_u64) {
        Some(version) if version == u64::from(VERSION) => {}
        Some(version) if version < u64::from(VERSION) => {
            return Err(ImportError::OldVersion(version))
        }
        Some(version) => return Err(ImportError::NewVersion(version)),
        None => return Err(ImportError::Damaged("numéro de version absent".to_owned())),
    }
    match value.get("course").and_then(Json::as_str) {
        Some(found) if found == course => {}
        Some(found) => return Err(ImportError::OtherCourse(found.to_owned())),
        None => {
            return Err(ImportError::Damaged(
                "identifiant du cours absent".to_owned(),
            ))
        }
    }
    let mut document: Document = json::from_value(value)
        .map_err(|error| ImportError::Damaged(format!("structure inattendue : {error}")))?;
    for (name, entry) in &document.entries {
        if !is_valid_name(name) {
            return Err(ImportError::Damaged(format!(
                "nom d’entrée invalide « {name} »"
            )));
        }
        if let (true, Some(value)) = (JSON_OBJECT_NAMES.contains(&name.as_str()), &entry.value) {
            if !matches!(json::parse(value), Ok(Json::Object(_))) {
                return Err(ImportError::Damaged(format!(
                    "l’entrée « {name} » est illisible"
                )));
            }
        }
    }
    document.prune();
    Ok(document)
}

/// Whether `name` can be a storage name: short, printable, no control or odd characters.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '/'))
}

/// Whether `theirs` replaces `ours` in a merge.
fn wins(theirs: &Entry, ours: &Entry) -> bool {
    if theirs.t != ours.t {
        return theirs.t > ours.t;
    }
    match (&theirs.value, &ours.value) {
        (None, Some(_)) => true,
        (Some(_), None) | (None, None) => false,
        (Some(theirs), Some(ours)) => theirs > ours,
    }
}
