//! A small DOM builder for the portal screens. Every text goes in through
//! `set_text_content` (text nodes), never through HTML: names, codes and messages typed by the
//! learner are shown as typed.

use std::cell::Cell;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

use crate::json::{self, Json};

/// Creates elements for one exercise; ids are unique in the page (prefixed by the exercise).
pub struct Dom {
    pub document: Document,
    prefix: String,
    counter: Cell<u32>,
}

/// One labelled form control.
pub struct Field<'a> {
    name: &'a str,
    label: &'a str,
    kind: &'a str,
    value: String,
    required: bool,
    help: Option<&'a str>,
    autocomplete: &'a str,
    readonly: bool,
}

impl<'a> Field<'a> {
    /// A text input named `name` (the `field` of the simulator's errors) labelled `label`.
    pub fn new(name: &'a str, label: &'a str) -> Field<'a> {
        Field {
            name,
            label,
            kind: "text",
            value: String::new(),
            required: false,
            help: None,
            autocomplete: "off",
            readonly: false,
        }
    }

    /// The input type (`email`, `password`, `tel`, `number`).
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        if kind == "password" {
            self.autocomplete = "new-password";
        }
        self
    }

    /// The initial value.
    pub fn value(mut self, value: &str) -> Self {
        self.value = value.to_owned();
        self
    }

    /// Marked mandatory (red asterisk, as on the portal).
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// A help line under the control, linked with `aria-describedby`.
    pub fn help(mut self, help: &'a str) -> Self {
        self.help = Some(help);
        self
    }

    /// Shown but not editable.
    pub fn readonly(mut self) -> Self {
        self.readonly = true;
        self
    }
}

impl Dom {
    /// A builder whose ids start with `prefix`.
    pub fn new(document: Document, prefix: &str) -> Dom {
        Dom {
            document,
            prefix: prefix.to_owned(),
            counter: Cell::new(0),
        }
    }

    /// A new id, unique in the page.
    pub fn id(&self, hint: &str) -> String {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        format!("{}-{hint}-{n}", self.prefix)
    }

    /// Creates an element with a class.
    pub fn el(&self, tag: &str, class: &str) -> Element {
        let element = self
            .document
            .create_element(tag)
            .expect("creating a standard element cannot fail");
        if !class.is_empty() {
            set(&element, "class", class);
        }
        element
    }

    /// Creates an element and appends it to `parent`.
    pub fn add(&self, parent: &Element, tag: &str, class: &str) -> Element {
        let element = self.el(tag, class);
        let _ = parent.append_child(&element);
        element
    }

    /// Appends an element holding `text` (as a text node).
    pub fn add_text(&self, parent: &Element, tag: &str, class: &str, text: &str) -> Element {
        let element = self.add(parent, tag, class);
        element.set_text_content(Some(text));
        element
    }

    /// Appends a screen title that can take the focus after navigation.
    pub fn title(&self, parent: &Element, text: &str) -> Element {
        let title = self.add_text(parent, "h3", "sim-screen-title", text);
        set(&title, "tabindex", "-1");
        title
    }

    /// Appends a navigation button to another screen.
    pub fn nav_button(&self, parent: &Element, label: &str, screen: &str) -> Element {
        let button = self.add_text(parent, "button", "sim-link", label);
        set(&button, "type", "button");
        set(&button, "data-nav", screen);
        button
    }

    /// Appends a form whose submission the exercise turns into `kind` (an action or a query).
    /// It starts with a hidden box for the errors that belong to no field.
    pub fn form(&self, parent: &Element, kind: &str, legend: &str) -> Element {
        let form = self.add(parent, "form", "sim-form");
        set(&form, "data-form", kind);
        set(&form, "novalidate", "");
        if !legend.is_empty() {
            self.add_text(&form, "h4", "sim-form-title", legend);
        }
        let errors = self.add(&form, "div", "sim-form-errors");
        set(&errors, "data-form-errors", "");
        set(&errors, "tabindex", "-1");
        set(&errors, "hidden", "");
        form
    }

    /// Appends a one-button form with hidden values (validate, refuse, remove…).
    pub fn button_form(
        &self,
        parent: &Element,
        kind: &str,
        label: &str,
        values: &[(&str, &str)],
    ) -> Element {
        let form = self.form(parent, kind, "");
        set(&form, "class", "sim-form sim-inline");
        for (name, value) in values {
            self.hidden(&form, name, value);
        }
        self.submit(&form, label, "");
        form
    }

    /// Appends a hidden input.
    pub fn hidden(&self, form: &Element, name: &str, value: &str) {
        let input = self.add(form, "input", "");
        set(&input, "type", "hidden");
        set(&input, "name", name);
        set_value(&input, value);
    }

    /// Appends the submit button.
    pub fn submit(&self, form: &Element, label: &str, class: &str) -> Element {
        let button = self.add_text(form, "button", class, label);
        set(&button, "type", "submit");
        button
    }

    /// Appends a labelled input with its help and error boxes.
    pub fn input(&self, form: &Element, field: Field) -> Element {
        let (row, id) = self.row(form, &field);
        let input = self.el("input", "");
        set(&input, "type", field.kind);
        set(&input, "autocomplete", field.autocomplete);
        if field.readonly {
            set(&input, "readonly", "");
        }
        self.attach(&row, &input, &id, &field);
        set_value(&input, &field.value);
        input
    }

    /// Appends a labelled select of `(value, label)` options.
    pub fn select(&self, form: &Element, field: Field, options: &[(String, String)]) -> Element {
        let (row, id) = self.row(form, &field);
        let select = self.el("select", "");
        for (value, label) in options {
            let option = self.add_text(&select, "option", "", label);
            set(&option, "value", value);
            if *value == field.value {
                set(&option, "selected", "");
            }
        }
        self.attach(&row, &select, &id, &field);
        select
    }

    /// Appends a checkbox with its label after it.
    pub fn checkbox(&self, form: &Element, field: Field, checked: bool) -> Element {
        let row = self.add(form, "div", "sim-field sim-check");
        let id = self.id(field.name);
        let input = self.add(&row, "input", "");
        set(&input, "type", "checkbox");
        set(&input, "id", &id);
        set(&input, "name", field.name);
        set(
            &input,
            "value",
            if field.value.is_empty() {
                "on"
            } else {
                &field.value
            },
        );
        if checked {
            set(&input, "checked", "");
        }
        let label = self.add(&row, "label", "");
        set(&label, "for", &id);
        self.label_text(&label, &field);
        self.help_and_error(&row, &input, &id, &field);
        input
    }

    /// Appends a table with a caption and header cells; returns its body.
    pub fn table(&self, parent: &Element, caption: &str, headers: &[&str]) -> Element {
        let wrap = self.add(parent, "div", "sim-table-wrap");
        let table = self.add(&wrap, "table", "sim-table");
        if !caption.is_empty() {
            self.add_text(&table, "caption", "", caption);
        }
        let head = self.add(&table, "thead", "");
        let row = self.add(&head, "tr", "");
        for header in headers {
            let cell = self.add_text(&row, "th", "", header);
            set(&cell, "scope", "col");
        }
        self.add(&table, "tbody", "")
    }

    /// Appends a row of text cells; returns it so more cells can be added.
    pub fn row_of(&self, body: &Element, cells: &[&str]) -> Element {
        let row = self.add(body, "tr", "");
        for cell in cells {
            self.add_text(&row, "td", "", cell);
        }
        row
    }

    fn row(&self, form: &Element, field: &Field) -> (Element, String) {
        let row = self.add(form, "div", "sim-field");
        let id = self.id(field.name);
        let label = self.add(&row, "label", "");
        set(&label, "for", &id);
        self.label_text(&label, field);
        (row, id)
    }

    fn label_text(&self, label: &Element, field: &Field) {
        let _ = label.append_child(&self.document.create_text_node(field.label));
        if field.required {
            let star = self.add_text(label, "span", "sim-required", " *");
            set(&star, "aria-hidden", "true");
            self.add_text(label, "span", "visually-hidden", " (obligatoire)");
        }
    }

    fn attach(&self, row: &Element, control: &Element, id: &str, field: &Field) {
        set(control, "id", id);
        set(control, "name", field.name);
        if field.required {
            set(control, "aria-required", "true");
        }
        let _ = row.append_child(control);
        self.help_and_error(row, control, id, field);
    }

    fn help_and_error(&self, row: &Element, control: &Element, id: &str, field: &Field) {
        if let Some(help) = field.help {
            let help_id = format!("{id}-help");
            let line = self.add_text(row, "p", "sim-help", help);
            set(&line, "id", &help_id);
            set(control, "aria-describedby", &help_id);
            set(control, "data-help", &help_id);
        }
        let error = self.add(row, "div", "sim-field-error");
        set(&error, "id", &format!("{id}-error"));
        set(&error, "hidden", "");
    }
}

/// Sets an attribute (cannot fail for the names used here).
pub fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

/// Sets `hidden` on or off.
pub fn set_hidden(element: &Element, hidden: bool) {
    let _ = if hidden {
        element.set_attribute("hidden", "")
    } else {
        element.remove_attribute("hidden")
    };
}

/// Moves the focus to `element`.
pub fn focus(element: &Element) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        let _ = element.focus();
    }
}

fn set_value(element: &Element, value: &str) {
    if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    }
}

/// Elements matching `selector` under `element`.
pub fn all(element: &Element, selector: &str) -> Vec<Element> {
    let Ok(nodes) = element.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|idx| nodes.item(idx)?.dyn_into::<Element>().ok())
        .collect()
}

/// The first element matching `selector` under `element`.
pub fn first(element: &Element, selector: &str) -> Option<Element> {
    element.query_selector(selector).ok().flatten()
}

/// The serde name of an enum value (`factures_de_travaux`), used as an option value.
///
/// Goes through the JSON text rather than `serde_json::Value`: the saved world already
/// instantiates the text serialiser of every enum, the `Value` one would be extra code.
pub fn enum_value<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    match json
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        // Serde names are plain identifiers: no escapes to undo.
        Some(name) => name.to_owned(),
        None => String::new(),
    }
}

/// The enum value of a serde name.
pub fn parse_enum<T: DeserializeOwned>(name: &str) -> Option<T> {
    json::from_value(Json::String(name.to_owned())).ok()
}
