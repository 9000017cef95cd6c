//! The learner's progress in `localStorage`, namespaced per course: every key is
//! `didact:<course id>:<name>`, with the course id read from `<body data-course>`.
//!
//! Storage is best effort. When the browser refuses it (private mode, disabled storage, a full
//! quota) the page keeps working without saving, and says so once with a console warning. A
//! saved value that does not parse is never deleted: it is moved to `<name>:corrupt`, so a
//! learner's data can still be recovered by hand after a bug.

use std::cell::Cell;

use serde::de::DeserializeOwned;
use serde::Serialize;
use web_sys::{Document, Storage};

use crate::json;

/// `localStorage` seen through the course's namespace.
pub struct Store {
    storage: Option<Storage>,
    prefix: String,
    warned: Cell<bool>,
}

/// Why a saved value was set aside.
#[derive(Debug)]
pub enum Rejected {
    /// The text is not the JSON we expect.
    Corrupt(String),
    /// The value was written by another version of the runtime.
    OldVersion,
}

impl Store {
    /// The store of the course whose page is `document`.
    pub fn open(document: &Document) -> Store {
        let course = document
            .body()
            .and_then(|body| body.get_attribute("data-course"))
            .filter(|course| !course.is_empty())
            .unwrap_or_else(|| "course".to_owned());
        let storage = web_sys::window().and_then(|window| window.local_storage().ok().flatten());
        let res = Store {
            storage,
            prefix: format!("didact:{course}:"),
            warned: Cell::new(false),
        };
        if res.storage.is_none() {
            res.warn_once("localStorage is not available; progress will not be saved");
        }
        res
    }

    /// The full key of `name`, e.g. `didact:chorus-pro:seed`.
    pub fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// The text saved under `name`.
    pub fn get(&self, name: &str) -> Option<String> {
        self.storage
            .as_ref()?
            .get_item(&self.key(name))
            .ok()
            .flatten()
    }

    /// Saves `value` under `name`; a refusal (full quota) is a warning.
    pub fn set(&self, name: &str, value: &str) {
        if let Some(storage) = &self.storage {
            if storage.set_item(&self.key(name), value).is_err() {
                self.warn_once("the browser refused to save progress (storage full?)");
            }
        }
    }

    /// Forgets `name`.
    pub fn remove(&self, name: &str) {
        if let Some(storage) = &self.storage {
            // Removing cannot meaningfully fail; a refusal leaves the old value, which the
            // next save overwrites.
            let _ = storage.remove_item(&self.key(name));
        }
    }

    /// Saves `value` as JSON under `name`.
    pub fn save_json<T: Serialize>(&self, name: &str, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) => self.set(name, &text),
            Err(error) => warn(&format!("cannot serialise {}: {error}", self.key(name))),
        }
    }

    /// Reads the JSON saved under `name`. A value that `parse` rejects is moved to
    /// `<name>:corrupt` with a console warning, and `None` is returned as if nothing was saved.
    pub fn load_with<T>(
        &self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, Rejected>,
    ) -> Option<T> {
        let text = self.get(name)?;
        match parse(&text) {
            Ok(value) => Some(value),
            Err(rejected) => {
                let why = match rejected {
                    Rejected::Corrupt(error) => format!("it is not valid ({error})"),
                    Rejected::OldVersion => "it was saved by another version".to_owned(),
                };
                warn(&format!(
                    "ignoring the saved value of {}: {why}; it is kept under {}",
                    self.key(name),
                    self.key(&format!("{name}:corrupt")),
                ));
                self.set(&format!("{name}:corrupt"), &text);
                self.remove(name);
                None
            }
        }
    }

    /// Reads the JSON saved under `name` as a `T`, see [`Store::load_with`].
    pub fn load_json<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.load_with(name, |text| {
            json::from_str(text).map_err(|error| Rejected::Corrupt(error.to_string()))
        })
    }

    fn warn_once(&self, message: &str) {
        if !self.warned.replace(true) {
            warn(message);
        }
    }
}

/// A console warning prefixed with `didact:`.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&format!("didact: {message}").into());
}
