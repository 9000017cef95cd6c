//! The simulator exercise: a practice copy of the Chorus Pro portal in the page, around the
//! section that `themes/default/templates/exercise.html` printed.
//!
//! 1. Find every `[data-exercise]` section and read its `{"exercise", "world", "learner"}`
//!    JSON (the world the scenario starts from, built by the build) into the `didact_sim`
//!    types the build serialised.
//! 2. Restore the saved state (`didact:<course>:exercise:<exercise id>`: the world, whether the
//!    exercise was completed, the hints shown), or start from the embedded world. A saved
//!    value that cannot be read is set aside (`…:corrupt`) and the learner is offered
//!    « Réinitialiser l’exercice ».
//! 3. Draw the portal (header, menu, the current screen) from the world, with DOM calls.
//! 4. Translate each form into a `didact_sim::Action` and `apply` it: a refusal is shown next to
//!    its fields with the rule (« Pourquoi ? »); a success redraws the portal, saves, and ticks
//!    the goals with `didact_sim::evaluate`.
//!
//! Every rule of the portal is `didact_sim`'s: the screens only read the world and build
//! actions. Learner text reaches the page through text nodes only; the instructions and hints
//! are author HTML rendered by the build.

mod account;
mod assistant;
mod bank;
mod clock;
mod dom;
mod gestionnaire;
mod home;
mod invoice;
mod mailbox;
mod services;
mod sollicitations;
mod structure;
mod tracking;
mod works;

use didact_map::VecMap;
use std::cell::RefCell;
use std::rc::Rc;

use didact_sim::records::InvoiceFilter;
use didact_sim::scenario::Learner;
use didact_sim::world::{Address, IdentifierType, Structure, StructureSummary, WORLD_VERSION};
use didact_sim::{
    apply_as_current, evaluate, Action, Exercise, FieldError, Outcome, OutcomeData, World,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, Event, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, SubmitEvent,
};

use crate::json::{self, Json};
use crate::storage::{Rejected, Store};
use dom::{all, first, focus, set, set_hidden, Dom};

/// Version of the saved exercise state; a saved value of another version is set aside.
const SAVE_VERSION: u32 = 1;
/// Storage name of the course-wide summary of exercises, an [`ExercisesSummary`].
const SUMMARY_NAME: &str = "exercises";

/// Mounts every exercise of `document`. An exercise whose data cannot be read keeps its
/// « JavaScript » note and is reported on the console; the others still work.
pub fn mount_all(document: &Document) {
    let Ok(roots) = document.query_selector_all("[data-exercise]") else {
        return;
    };
    if roots.length() == 0 {
        return;
    }
    let store = Rc::new(Store::open(document));
    for idx in 0..roots.length() {
        let Some(root) = roots
            .item(idx)
            .and_then(|node| node.dyn_into::<Element>().ok())
        else {
            continue;
        };
        let id = root.get_attribute("data-exercise-id").unwrap_or_default();
        if let Err(error) = mount(document, root, Rc::clone(&store)) {
            web_sys::console::error_1(
                &format!("didact: exercise {id:?} cannot start: {error}").into(),
            );
        }
    }
}

/// The JSON the build puts in `data-exercise`: the exercise, the world its scenario starts
/// from, and the learner the scenario plays.
#[derive(Deserialize)]
struct Data {
    exercise: Exercise,
    world: World,
    learner: Learner,
}

/// What is saved per exercise under `didact:<course>:exercise:<exercise id>`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    /// [`SAVE_VERSION`].
    version: u32,
    /// The simulated portal.
    world: World,
    /// Every goal was met once (kept until « Recommencer »).
    completed: bool,
    /// Number of hints revealed.
    hints_shown: usize,
}

/// The course-wide summary under `didact:<course>:exercises`, by exercise id.
type ExercisesSummary = VecMap<String, ExerciseSummary>;

/// One exercise in the course-wide summary, for the progress page.
#[derive(Serialize, Deserialize)]
struct ExerciseSummary {
    completed: bool,
    objective: Option<String>,
}

/// A screen of the simulated portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    CreateAccount,
    Mailbox,
    Activate,
    Login,
    MyAccount,
    CreateStructure,
    Rattachement,
    Gestionnaire,
    Services,
    Bank,
    Clock,
    InvoiceEntry,
    InvoiceDeposit,
    Invoices,
    InvoiceDetail,
    Certificate,
    ToValidate,
    Works,
    Sollicitations,
    Assistant,
}

const SCREENS: [Screen; 21] = [
    Screen::Home,
    Screen::CreateAccount,
    Screen::Login,
    Screen::MyAccount,
    Screen::CreateStructure,
    Screen::Rattachement,
    Screen::Gestionnaire,
    Screen::Services,
    Screen::Bank,
    Screen::Mailbox,
    Screen::Clock,
    Screen::Activate,
    Screen::InvoiceEntry,
    Screen::InvoiceDeposit,
    Screen::Invoices,
    Screen::InvoiceDetail,
    Screen::Certificate,
    Screen::ToValidate,
    Screen::Works,
    Screen::Sollicitations,
    Screen::Assistant,
];

impl Screen {
    /// The value of `data-nav`.
    fn name(self) -> &'static str {
        match self {
            Screen::Home => "home",
            Screen::CreateAccount => "create_account",
            Screen::Mailbox => "mailbox",
            Screen::Activate => "activate",
            Screen::Login => "login",
            Screen::MyAccount => "my_account",
            Screen::CreateStructure => "create_structure",
            Screen::Rattachement => "rattachement",
            Screen::Gestionnaire => "gestionnaire",
            Screen::Services => "services",
            Screen::Bank => "bank",
            Screen::Clock => "clock",
            Screen::InvoiceEntry => "invoice_entry",
            Screen::InvoiceDeposit => "invoice_deposit",
            Screen::Invoices => "invoices",
            Screen::InvoiceDetail => "invoice",
            Screen::Certificate => "certificate",
            Screen::ToValidate => "to_validate",
            Screen::Works => "works",
            Screen::Sollicitations => "sollicitations",
            Screen::Assistant => "assistant",
        }
    }

    fn from_name(name: &str) -> Option<Screen> {
        SCREENS.into_iter().find(|screen| screen.name() == name)
    }

    /// The menu label.
    fn label(self) -> &'static str {
        match self {
            Screen::Home => "Accueil",
            Screen::CreateAccount => "Créer un compte",
            Screen::Mailbox => "Messagerie simulée",
            Screen::Activate => "Activer mon compte",
            Screen::Login => "Se connecter",
            Screen::MyAccount => "Mon compte",
            Screen::CreateStructure => "Créer une structure",
            Screen::Rattachement => "Demande de rattachement",
            Screen::Gestionnaire => "Activités du gestionnaire",
            Screen::Services => "Services",
            Screen::Bank => "Coordonnées bancaires",
            Screen::Clock => "Avancer l’horloge",
            Screen::InvoiceEntry => "Saisir une facture",
            Screen::InvoiceDeposit => "Déposer une facture",
            Screen::Invoices => "Suivi des factures",
            Screen::InvoiceDetail => "Facture",
            Screen::Certificate => "Certificat de dépôt",
            Screen::ToValidate => "Factures à valider",
            Screen::Works => "Factures de travaux",
            Screen::Sollicitations => "Sollicitations",
            Screen::Assistant => "Assistant (simulation)",
        }
    }

    /// Menu entries for a visitor and for a logged-in user.
    fn menu(logged_in: bool) -> &'static [Screen] {
        if logged_in {
            &[
                Screen::Home,
                Screen::MyAccount,
                Screen::CreateStructure,
                Screen::Rattachement,
                Screen::Gestionnaire,
                Screen::Services,
                Screen::Bank,
                Screen::Mailbox,
                Screen::Clock,
                Screen::InvoiceEntry,
                Screen::InvoiceDeposit,
                Screen::Invoices,
                Screen::ToValidate,
                Screen::Works,
                Screen::Sollicitations,
                Screen::Assistant,
            ]
        } else {
            &[
                Screen::Home,
                Screen::CreateAccount,
                Screen::Login,
                Screen::Mailbox,
                Screen::Clock,
                Screen::Assistant,
            ]
        }
    }
}

/// What the portal shows besides the world: the screen and the screens' own inputs.
pub struct Ui {
    pub screen: Screen,
    /// Activation token of the link followed from the mailbox.
    pub token: String,
    /// Structure chosen in the structure screens.
    pub siret: Option<String>,
    /// « Créer une structure », step 2: the identifier checked and the pre-filled data.
    pub prefill: Option<Prefill>,
    /// « Demande de rattachement »: the last search.
    pub search: Option<Search>,
    /// The outcome of the last accepted action, shown once.
    pub flash: Option<Outcome>,
    /// The invoice shown, edited or recycled.
    pub invoice: Option<u64>,
    /// The invoice form as typed, when it is drawn again (a line added, a draft saved).
    pub entry: Option<Values>,
    /// The search and filters of « Suivi des factures ».
    pub filter: InvoiceFilter,
    /// The acknowledgement pop-up was closed « Plus tard ».
    pub acknowledgements_closed: bool,
    /// The assistant's last answer.
    pub answer: Option<assistant::Answer>,
}

/// Step 2 of « Créer une structure ».
pub struct Prefill {
    pub identifier_type: IdentifierType,
    pub siret: String,
    pub raison_sociale: String,
    pub address: Address,
    /// INSEE « non diffusible »: the address is masked.
    pub masked: bool,
}

/// A search of « Demande de rattachement ».
pub struct Search {
    pub query: String,
    pub results: Vec<StructureSummary>,
}

impl Ui {
    fn new(world: &World) -> Ui {
        Ui {
            screen: if world.current_user.is_some() {
                Screen::Home
            } else {
                Screen::Login
            },
            token: String::new(),
            siret: None,
            prefill: None,
            search: None,
            flash: None,
            invoice: None,
            entry: None,
            filter: InvoiceFilter::default(),
            acknowledgements_closed: false,
            answer: None,
        }
    }
}

/// What a screen reads to draw itself.
pub struct Ctx<'a> {
    pub dom: &'a Dom,
    pub world: &'a World,
    pub ui: &'a Ui,
    pub learner: &'a Learner,
}

impl Ctx<'_> {
    /// Login of the logged-in user.
    pub fn user(&self) -> Option<&str> {
        self.world.current_user.as_deref()
    }

    /// Structures of the logged-in user.
    pub fn structures(&self) -> Vec<&Structure> {
        match self.user() {
            Some(user) => self.world.structures_of(user).collect(),
            None => Vec::new(),
        }
    }

    /// The structure the structure screens work on: the one chosen, else the first.
    pub fn structure(&self) -> Option<&Structure> {
        let structures = self.structures();
        let chosen = self
            .ui
            .siret
            .as_deref()
            .and_then(|siret| structures.iter().find(|s| s.siret == siret));
        chosen.or(structures.first()).copied()
    }

    /// Structures whose « Factures émises » the user may fill in.
    pub fn suppliers(&self) -> Vec<String> {
        invoice::suppliers(self)
    }

    /// « Prénom Nom » of an account, or its login.
    pub fn name_of(&self, email: &str) -> String {
        match self.world.account(email) {
            Some(account) => format!("{} {}", account.first_name, account.last_name)
                .trim()
                .to_owned(),
            None => email.to_owned(),
        }
    }

    /// Shows that the screen needs a logged-in user; returns whether one is.
    pub fn require_login(&self, parent: &Element) -> bool {
        if self.user().is_some() {
            return true;
        }
        self.dom.add_text(
            parent,
            "p",
            "sim-note",
            "Connectez-vous pour accéder à cet écran.",
        );
        self.dom
            .nav_button(parent, "Se connecter", Screen::Login.name());
        false
    }

    /// Shows the structure picker when the user has several structures; returns the structure
    /// worked on, or says there is none.
    pub fn structure_picker(&self, parent: &Element) -> Option<&Structure> {
        let structures = self.structures();
        let current = self.structure();
        let Some(current) = current else {
            self.dom.add_text(
                parent,
                "p",
                "sim-note",
                "Vous n’êtes rattaché à aucune structure : créez votre structure ou faites une demande de rattachement.",
            );
            let actions = self.dom.add(parent, "p", "sim-actions");
            self.dom.nav_button(
                &actions,
                "Créer une structure",
                Screen::CreateStructure.name(),
            );
            self.dom.nav_button(
                &actions,
                "Demande de rattachement",
                Screen::Rattachement.name(),
            );
            return None;
        };
        if structures.len() > 1 {
            let form = self.dom.form(parent, "select_structure", "");
            set(&form, "class", "sim-form sim-inline");
            let options: Vec<(String, String)> = structures
                .iter()
                .map(|s| {
                    (
                        s.siret.clone(),
                        format!("{} ({})", s.raison_sociale, s.siret),
                    )
                })
                .collect();
            self.dom.select(
                &form,
                dom::Field::new("structure", "Structure").value(&current.siret),
                &options,
            );
            self.dom.submit(&form, "Afficher", "");
        } else {
            self.dom.add_text(
                parent,
                "p",
                "sim-structure-name",
                &format!("Structure : {} ({})", current.raison_sociale, current.siret),
            );
        }
        Some(current)
    }
}

/// The values of a submitted form, by control name.
#[derive(Clone, Default)]
pub struct Values(VecMap<String, Vec<String>>);

impl Values {
    /// The first value of `name`, as typed (the simulator trims).
    pub fn get(&self, name: &str) -> String {
        self.0
            .get(name)
            .and_then(|values| values.first())
            .cloned()
            .unwrap_or_default()
    }

    /// Every value of `name` (checked boxes sharing a name).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.get(name).cloned().unwrap_or_default()
    }

    /// Whether the checkbox `name` is ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

/// One mounted exercise.
struct Widget {
    dom: Dom,
    root: Element,
    portal: Element,
    exercise: Exercise,
    /// The scenario's world, for « Recommencer ».
    start: World,
    learner: Learner,
    store: Rc<Store>,
    saved: Saved,
    ui: Ui,
    /// The goals met at the last evaluation, to announce the new ones.
    met: Vec<bool>,
}

fn mount(document: &Document, root: Element, store: Rc<Store>) -> Result<(), String> {
    let id = root
        .get_attribute("data-exercise-id")
        .ok_or("no data-exercise-id")?;
    let json = root.get_attribute("data-exercise").unwrap_or_default();
    let data: Data = json::from_str(&json).map_err(|error| error.to_string())?;
    let portal = first(&root, "[data-sim-portal]").ok_or("no [data-sim-portal]")?;
    let world = data.world.clone();
    let mut widget = Widget {
        dom: Dom::new(document.clone(), &format!("sim-{id}")),
        ui: Ui::new(&world),
        saved: Saved {
            version: SAVE_VERSION,
            world,
            completed: false,
            hints_shown: 0,
        },
        met: vec![false; data.exercise.goals.len()],
        exercise: data.exercise,
        start: data.world,
        learner: data.learner,
        store,
        root,
        portal,
    };
    for fallback in all(&widget.root, "[data-sim-fallback]") {
        set_hidden(&fallback, true);
    }
    for actions in all(&widget.root, "[data-actions]") {
        set_hidden(&actions, false);
    }
    let restored = widget.restore();
    widget.met = evaluate(&widget.saved.world, &widget.exercise.goals);
    widget.show_goals();
    widget.show_hints();
    if restored {
        set_hidden(&widget.portal, false);
        widget.render();
    } else if let Some(offer) = first(&widget.root, "[data-reset-offer]") {
        set_hidden(&offer, false);
    }

    let widget = Rc::new(RefCell::new(widget));
    let root = widget.borrow().root.clone();
    listen(&root, "click", &widget, Widget::on_click)?;
    listen(&root, "submit", &widget, Widget::on_submit)?;
    // A select chosen with the mouse may only fire `change`.
    listen(&root, "input", &widget, Widget::on_input)?;
    listen(&root, "change", &widget, Widget::on_input)?;
    Ok(())
}

impl Widget {
    fn storage_name(&self) -> String {
        format!("exercise:{}", self.exercise.id)
    }

    /// Loads the saved state. Returns false when a saved value existed but could not be read
    /// (it was set aside by the store, with a console warning).
    fn restore(&mut self) -> bool {
        let name = self.storage_name();
        let existed = self.store.get(&name).is_some();
        match self.store.load_with(&name, parse_saved) {
            Some(saved) => {
                self.ui = Ui::new(&saved.world);
                self.saved = saved;
                true
            }
            None => !existed,
        }
    }

    fn save(&self) {
        self.store.save_json(&self.storage_name(), &self.saved);
        let mut summary: ExercisesSummary = self.store.load_json(SUMMARY_NAME).unwrap_or_default();
        summary.insert(
            self.exercise.id.clone(),
            ExerciseSummary {
                completed: self.saved.completed,
                objective: self.exercise.objective.clone(),
            },
        );
        self.store.save_json(SUMMARY_NAME, &summary);
    }

    fn on_click(&mut self, event: &Event) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if let Some(button) = target.closest("[data-nav]").ok().flatten() {
            let name = button.get_attribute("data-nav").unwrap_or_default();
            if let Some(screen) = Screen::from_name(&name) {
                if let Some(token) = button.get_attribute("data-token") {
                    self.ui.token = token;
                }
                if screen == Screen::CreateStructure {
                    self.ui.prefill = None;
                }
                if let Some(id) = button.get_attribute("data-invoice") {
                    self.ui.invoice = id.parse().ok();
                    self.ui.entry = None;
                } else if matches!(screen, Screen::InvoiceEntry | Screen::InvoiceDeposit) {
                    self.ui.invoice = None;
                    self.ui.entry = None;
                }
                self.ui.screen = screen;
                self.ui.flash = None;
                self.render();
                if let Some(title) = first(&self.portal, ".sim-screen-title") {
                    focus(&title);
                }
            }
            return;
        }
        if let Some(button) = target.closest("[data-intent]").ok().flatten() {
            let form = button.closest("form[data-form]").ok().flatten();
            if let Some(form) = form {
                let kind = form.get_attribute("data-form").unwrap_or_default();
                let mut values = read_form(&form);
                let intent = button.get_attribute("data-intent").unwrap_or_default();
                values.0.insert(invoice::INTENT.to_owned(), vec![intent]);
                clear_errors(&form);
                self.submit_invoice(&kind, values, &form);
            }
            return;
        }
        let Some(button) = target.closest("[data-action]").ok().flatten() else {
            return;
        };
        match button.get_attribute("data-action").as_deref() {
            Some("hint") => self.hint(),
            Some("close_acknowledgements") => {
                self.ui.acknowledgements_closed = true;
                self.render();
            }
            Some("restart") => self.restart(),
            Some("reset") => {
                if let Some(offer) = first(&self.root, "[data-reset-offer]") {
                    set_hidden(&offer, true);
                }
                set_hidden(&self.portal, false);
                self.restart();
            }
            _ => {}
        }
    }

    fn on_submit(&mut self, event: &Event) {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .filter(|element| element.has_attribute("data-form"))
        else {
            return;
        };
        event.prevent_default();
        let kind = form.get_attribute("data-form").unwrap_or_default();
        let mut values = read_form(&form);
        if let Some(submitter) = event
            .dyn_ref::<SubmitEvent>()
            .and_then(SubmitEvent::submitter)
        {
            if let Some(name) = submitter.get_attribute("name") {
                let value = submitter.get_attribute("value").unwrap_or_default();
                values.0.insert(name, vec![value]);
            }
        }
        clear_errors(&form);
        match kind.as_str() {
            "invoice" | "recycle_invoice" => self.submit_invoice(&kind, values, &form),
            "search_invoices" => {
                self.ui.filter = tracking::read_filter(&values);
                self.ui.flash = None;
                self.render();
                if let Some(results) = first(&self.portal, "[data-results]") {
                    focus(&results);
                }
            }
            "ask_assistant" => {
                self.ui.answer = Some(assistant::ask(&values.get("question")));
                self.ui.flash = None;
                self.render();
                if let Some(answer) = first(&self.portal, "[data-answer]") {
                    focus(&answer);
                }
            }
            "select_structure" => {
                self.ui.siret = Some(values.get("structure"));
                self.ui.flash = None;
                self.render();
            }
            "lookup_siret" => match structure::lookup(&self.saved.world, &values) {
                Ok(prefill) => {
                    self.ui.prefill = Some(prefill);
                    self.render();
                    if let Some(input) = first(&self.portal, "[name=\"raison_sociale\"]") {
                        focus(&input);
                    }
                }
                Err(error) => show_errors(&form, &[error]),
            },
            "search_structures" => {
                let query = values.get("recherche");
                match self.saved.world.search_structures(&query) {
                    Ok(results) => {
                        self.ui.search = Some(Search { query, results });
                        self.ui.flash = None;
                        self.render();
                        if let Some(results) = first(&self.portal, "[data-results]") {
                            focus(&results);
                        }
                    }
                    Err(error) => show_errors(&form, &[error]),
                }
            }
            _ => match self.action_checked(&kind, &values) {
                Some(Ok(action)) => self.run(action, &form),
                Some(Err(errors)) => show_errors(&form, &errors),
                None => match self.action(&kind, &values) {
                    Some(action) => self.run(action, &form),
                    None => crate::storage::warn(&format!("unknown form {kind:?}")),
                },
            },
        }
    }

    /// The action a form stands for.
    fn action(&self, kind: &str, values: &Values) -> Option<Action> {
        if kind == "act_as" {
            // « Se connecter en tant que … »: the scenario's people log in with their password.
            let email = values.get("email");
            let password = self
                .saved
                .world
                .account(&email)
                .and_then(|account| account.password.clone())
                .unwrap_or_default();
            return Some(Action::Login { email, password });
        }
        account::action(kind, values, &self.ui)
            .or_else(|| structure::action(kind, values))
            .or_else(|| gestionnaire::action(kind, values))
            .or_else(|| services::action(kind, values))
            .or_else(|| bank::action(kind, values))
            .or_else(|| clock::action(kind, values))
            .or_else(|| invoice::action(kind, values))
    }

    /// The action of a part 2 form whose values may not be readable (amounts, sizes).
    fn action_checked(
        &self,
        kind: &str,
        values: &Values,
    ) -> Option<Result<Action, Vec<FieldError>>> {
        tracking::action(kind, values)
            .or_else(|| works::action(kind, values))
            .or_else(|| sollicitations::action(kind, values))
    }

    /// The invoice form: redraw it with a row more or less, check the typed amounts, save or
    /// send it, or recycle the invoice.
    fn submit_invoice(&mut self, kind: &str, values: Values, form: &Element) {
        let intent = values.get(invoice::INTENT);
        if intent == "add_line" || intent == "add_attachment" || intent.starts_with("remove_line:")
        {
            self.ui.entry = Some(invoice::edit_rows(&values, &intent));
            self.ui.flash = None;
            self.render();
            if let Some(form) = first(&self.portal, "form[data-form=\"invoice\"]") {
                if let Some(target) = invoice::focus_after(&form, &intent) {
                    focus(&target);
                }
            }
            return;
        }
        let (invoice_form, mut errors) = invoice::read_invoice(&values);
        if intent == "check_totals" {
            let result = first(form, "[data-totals-check]");
            match invoice::typed_errors(&invoice_form, &values) {
                _ if !errors.is_empty() => show_errors(form, &errors),
                None => {
                    if let Some(result) = result {
                        result.set_text_content(Some(
                            "Saisissez les montants de votre facture pour les vérifier.",
                        ));
                    }
                }
                Some(typed) if typed.is_empty() => {
                    if let Some(result) = result {
                        result.set_text_content(Some(
                            "Vos montants sont justes : ils correspondent au calcul du portail.",
                        ));
                    }
                }
                Some(typed) => {
                    if let Some(result) = result {
                        result.set_text_content(None);
                    }
                    show_errors(form, &typed);
                }
            }
            return;
        }
        let invoice_id = values.get("invoice_id").parse::<u64>().ok();
        if intent == "send" && errors.is_empty() {
            errors = invoice::typed_errors(&invoice_form, &values).unwrap_or_default();
        }
        if !errors.is_empty() {
            show_errors(form, &errors);
            return;
        }
        let action = match (kind, intent.as_str()) {
            ("recycle_invoice", _) => Action::RecycleInvoice {
                invoice_id: invoice_id.unwrap_or(0),
                form: invoice_form,
            },
            (_, "save") => Action::SaveInvoiceDraft {
                invoice_id,
                form: invoice_form,
            },
            _ => Action::SendInvoice {
                invoice_id,
                form: invoice_form,
            },
        };
        self.ui.entry = Some(values);
        self.run(action, form);
    }

    /// Applies an action: a refusal is shown on the form, a success redraws the portal.
    fn run(&mut self, action: Action, form: &Element) {
        let next = match &action {
            Action::CreateAccount { .. } | Action::Login { .. } | Action::Logout => {
                Some(Screen::Home)
            }
            Action::CreateStructure { .. } => Some(Screen::Home),
            Action::ActivateAccount { .. } => Some(Screen::Login),
            _ => None,
        };
        let recycled = matches!(action, Action::RecycleInvoice { .. });
        match apply_as_current(&mut self.saved.world, action) {
            Ok(outcome) => {
                if let Some(next) = next {
                    self.ui.screen = next;
                    self.ui.prefill = None;
                    self.ui.search = None;
                }
                match &outcome.data {
                    Some(OutcomeData::Certificate { invoice_id, .. }) => {
                        self.ui.invoice = Some(*invoice_id);
                        self.ui.entry = None;
                        self.ui.screen = Screen::InvoiceDetail;
                    }
                    Some(OutcomeData::Invoice { invoice_id }) => {
                        self.ui.invoice = Some(*invoice_id);
                        self.ui.entry = None;
                        self.ui.screen = Screen::InvoiceEntry;
                    }
                    _ => {}
                }
                if recycled {
                    self.ui.entry = None;
                }
                self.ui.flash = Some(outcome);
                self.update_goals();
                self.save();
                self.render();
                if let Some(flash) = first(&self.portal, "[data-flash]") {
                    focus(&flash);
                }
            }
            Err(errors) => show_errors(form, &errors),
        }
    }

    /// Recomputes the invoice totals as the learner types.
    fn on_input(&mut self, event: &Event) {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|element| {
                element
                    .closest("form[data-form=\"invoice\"]")
                    .ok()
                    .flatten()
            })
        else {
            return;
        };
        invoice::live_totals(&self.dom, &form, &read_form(&form));
    }

    /// Ticks the goals after a change; announces new ones and the completion.
    fn update_goals(&mut self) {
        let met = evaluate(&self.saved.world, &self.exercise.goals);
        let mut news: Vec<String> = met
            .iter()
            .zip(&self.met)
            .zip(&self.exercise.goals)
            .filter(|((now, before), _)| **now && !**before)
            .map(|(_, goal)| format!("Objectif atteint : {}", goal.label()))
            .collect();
        self.met = met;
        if !self.saved.completed && self.met.iter().all(|m| *m) {
            self.saved.completed = true;
            news.push("Exercice réussi : tous les objectifs sont atteints.".to_owned());
        }
        self.show_goals();
        if !news.is_empty() {
            if let Some(announce) = first(&self.root, "[data-announce]") {
                announce.set_text_content(Some(&news.join(" ")));
            }
        }
    }

    /// Shows each goal's state and the exercise's status.
    fn show_goals(&self) {
        for (idx, met) in self.met.iter().enumerate() {
            let Some(item) = first(&self.root, &format!("[data-goal=\"{idx}\"]")) else {
                continue;
            };
            set(&item, "data-met", if *met { "true" } else { "false" });
            if let Some(state) = first(&item, "[data-goal-state]") {
                state.set_text_content(Some(if *met { "Atteint" } else { "À faire" }));
            }
        }
        let n_met = self.met.iter().filter(|m| **m).count();
        let status = if self.saved.completed {
            "Exercice réussi : tous les objectifs sont atteints.".to_owned()
        } else {
            format!(
                "Objectifs atteints : {n_met} sur {}.",
                self.exercise.goals.len()
            )
        };
        if let Some(line) = first(&self.root, "[data-status]") {
            line.set_text_content(Some(&status));
        }
        set(
            &self.root,
            "data-completed",
            if self.saved.completed {
                "true"
            } else {
                "false"
            },
        );
    }

    fn show_hints(&self) {
        let hints = all(&self.root, "[data-hint]");
        for (idx, hint) in hints.iter().enumerate() {
            set_hidden(hint, idx >= self.saved.hints_shown);
        }
        if let Some(button) = first(&self.root, "[data-action=\"hint\"]") {
            if self.saved.hints_shown >= hints.len() {
                set(&button, "disabled", "");
            } else {
                let _ = button.remove_attribute("disabled");
            }
        }
    }

    /// Reveals the next hint and moves the focus to it.
    fn hint(&mut self) {
        let hints = all(&self.root, "[data-hint]");
        if self.saved.hints_shown >= hints.len() {
            return;
        }
        self.saved.hints_shown += 1;
        self.show_hints();
        focus(&hints[self.saved.hints_shown - 1]);
        self.save();
    }

    /// « Recommencer »: back to the scenario's world.
    fn restart(&mut self) {
        self.saved.world = self.start.clone();
        self.saved.completed = false;
        self.ui = Ui::new(&self.saved.world);
        self.met = evaluate(&self.saved.world, &self.exercise.goals);
        self.show_goals();
        self.save();
        self.render();
        if let Some(announce) = first(&self.root, "[data-announce]") {
            announce.set_text_content(Some("L’exercice a été réinitialisé."));
        }
        if let Some(title) = first(&self.portal, ".sim-screen-title") {
            focus(&title);
        }
    }

    /// Draws the whole portal from the world.
    fn render(&self) {
        self.portal.set_text_content(None);
        let dom = &self.dom;
        let ctx = Ctx {
            dom,
            world: &self.saved.world,
            ui: &self.ui,
            learner: &self.learner,
        };
        let frame = dom.add(&self.portal, "div", "sim-frame");
        let header = dom.add(&frame, "div", "sim-header");
        dom.add_text(&header, "p", "sim-brand", "Chorus Pro — simulateur");
        let session = dom.add(&header, "div", "sim-session");
        match ctx.user() {
            Some(user) => {
                dom.add_text(
                    &session,
                    "p",
                    "",
                    &format!("Connecté : {} ({user})", ctx.name_of(user)),
                );
                dom.nav_button(&session, "Changer d’utilisateur", Screen::Login.name());
                dom.button_form(&session, "logout", "Se déconnecter", &[]);
            }
            None => {
                dom.add_text(&session, "p", "", "Non connecté");
            }
        }
        dom.add_text(
            &header,
            "p",
            "sim-clock",
            &clock::now(self.saved.world.clock, &self.saved.world.start_date),
        );

        if ctx.user().is_some() {
            tracking::render_clock_buttons(&ctx, &header);
        }
        let nav = dom.add(&frame, "nav", "sim-menu");
        set(&nav, "aria-label", "Menu du portail simulé");
        let list = dom.add(&nav, "ul", "");
        for screen in Screen::menu(ctx.user().is_some()) {
            let item = dom.add(&list, "li", "");
            let label = if *screen == Screen::Mailbox {
                format!("{} ({})", screen.label(), self.saved.world.mailbox.len())
            } else {
                screen.label().to_owned()
            };
            let button = dom.nav_button(&item, &label, screen.name());
            if *screen == self.ui.screen {
                set(&button, "aria-current", "page");
            }
        }

        let main = dom.add(&frame, "div", "sim-main");
        if let Some(outcome) = &self.ui.flash {
            let flash = dom.add(&main, "div", "sim-flash");
            set(&flash, "data-flash", "");
            set(&flash, "role", "status");
            set(&flash, "tabindex", "-1");
            dom.add_text(&flash, "p", "sim-success", &outcome.message);
            for warning in &outcome.warnings {
                let line = dom.add(&flash, "p", "sim-warning");
                dom.add_text(
                    &line,
                    "strong",
                    "",
                    &format!("Attention : {}", warning.message),
                );
                dom.add_text(
                    &line,
                    "span",
                    "sim-rule",
                    &format!(" Pourquoi ? {}", warning.rule),
                );
            }
        }
        tracking::render_acknowledgements(&ctx, &main);
        let screen = dom.add(&main, "div", "sim-screen");
        set(&screen, "data-screen", self.ui.screen.name());
        match self.ui.screen {
            Screen::Home => home::render(&ctx, &screen),
            Screen::CreateAccount => account::render_create(&ctx, &screen),
            Screen::Activate => account::render_activate(&ctx, &screen),
            Screen::Login => account::render_login(&ctx, &screen),
            Screen::MyAccount => account::render_my_account(&ctx, &screen),
            Screen::Mailbox => mailbox::render(&ctx, &screen),
            Screen::CreateStructure => structure::render_create(&ctx, &screen),
            Screen::Rattachement => structure::render_rattachement(&ctx, &screen),
            Screen::Gestionnaire => gestionnaire::render(&ctx, &screen),
            Screen::Services => services::render(&ctx, &screen),
            Screen::Bank => bank::render(&ctx, &screen),
            Screen::Clock => clock::render(&ctx, &screen),
            Screen::InvoiceEntry => invoice::render_entry(&ctx, &screen),
            Screen::InvoiceDeposit => invoice::render_deposit(&ctx, &screen),
            Screen::Invoices => tracking::render_list(&ctx, &screen),
            Screen::InvoiceDetail => tracking::render_detail(&ctx, &screen),
            Screen::Certificate => tracking::render_certificate(&ctx, &screen),
            Screen::ToValidate => tracking::render_to_validate(&ctx, &screen),
            Screen::Works => works::render(&ctx, &screen),
            Screen::Sollicitations => sollicitations::render(&ctx, &screen),
            Screen::Assistant => assistant::render(&ctx, &screen),
        }
    }
}

/// Reads the named controls of a form; an unticked box is absent.
fn read_form(form: &Element) -> Values {
    let mut res: VecMap<String, Vec<String>> = VecMap::new();
    for control in all(form, "input[name], select[name], textarea[name]") {
        let name = control.get_attribute("name").unwrap_or_default();
        let value = if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
            let kind = input.type_();
            if (kind == "checkbox" || kind == "radio") && !input.checked() {
                continue;
            }
            input.value()
        } else if let Some(select) = control.dyn_ref::<HtmlSelectElement>() {
            select.value()
        } else if let Some(area) = control.dyn_ref::<HtmlTextAreaElement>() {
            area.value()
        } else {
            continue;
        };
        res.entry(name).or_default().push(value);
    }
    Values(res)
}

/// Removes the errors shown on a form.
fn clear_errors(form: &Element) {
    for control in all(form, "[aria-invalid]") {
        let _ = control.remove_attribute("aria-invalid");
        match control.get_attribute("data-help") {
            Some(help) => set(&control, "aria-describedby", &help),
            None => {
                let _ = control.remove_attribute("aria-describedby");
            }
        }
    }
    for error in all(form, ".sim-field-error, [data-form-errors]") {
        error.set_text_content(None);
        set_hidden(&error, true);
    }
}

/// Shows each error next to its field (or at the top of the form when it belongs to no
/// field), with the rule as « Pourquoi ? », and moves the focus to the first one.
fn show_errors(form: &Element, errors: &[FieldError]) {
    let document = form.owner_document().expect("a form is in a document");
    let mut focus_target: Option<Element> = None;
    let general = first(form, "[data-form-errors]");
    for error in errors {
        let control = first(
            form,
            &format!("[name=\"{}\"]:not([type=\"hidden\"])", error.field),
        );
        let error_box = control
            .as_ref()
            .and_then(|control| control.get_attribute("id"))
            .and_then(|id| document.get_element_by_id(&format!("{id}-error")));
        let (target, box_) = match (control, error_box) {
            (Some(control), Some(error_box)) => {
                set(&control, "aria-invalid", "true");
                let error_id = error_box.get_attribute("id").unwrap_or_default();
                let described = match control.get_attribute("data-help") {
                    Some(help) => format!("{help} {error_id}"),
                    None => error_id,
                };
                set(&control, "aria-describedby", &described);
                (control, error_box)
            }
            _ => match &general {
                Some(general) => (general.clone(), general.clone()),
                None => continue,
            },
        };
        let item = document
            .create_element("p")
            .expect("creating a standard element cannot fail");
        set(&item, "class", "sim-error");
        let message = document
            .create_element("strong")
            .expect("creating a standard element cannot fail");
        message.set_text_content(Some(&error.message));
        let _ = item.append_child(&message);
        let rule = document
            .create_element("span")
            .expect("creating a standard element cannot fail");
        set(&rule, "class", "sim-rule");
        rule.set_text_content(Some(&format!(" Pourquoi ? {}", error.rule)));
        let _ = item.append_child(&rule);
        let _ = box_.append_child(&item);
        set_hidden(&box_, false);
        if focus_target.is_none() {
            focus_target = Some(target);
        }
    }
    if let Some(target) = focus_target {
        focus(&target);
    }
}

/// Parses a saved state, telling an old version apart from a corrupt value.
fn parse_saved(text: &str) -> Result<Saved, Rejected> {
    let value = json::parse(text).map_err(|error| Rejected::Corrupt(error.to_string()))?;
    let version = value.get("version").and_then(Json::as_u64);
    let world_version = value
        .get("world")
        .and_then(|world| world.get("version"))
        .and_then(Json::as_u64);
    match (version, world_version) {
        (Some(version), Some(world_version))
            if version == u64::from(SAVE_VERSION) && world_version == u64::from(WORLD_VERSION) => {}
        (Some(_), Some(_)) => return Err(Rejected::OldVersion),
        _ => return Err(Rejected::Corrupt("no version".to_owned())),
    }
    json::from_value(value).map_err(|error| Rejected::Corrupt(error.to_string()))
}

fn listen(
    target: &Element,
    kind: &str,
    widget: &Rc<RefCell<Widget>>,
    handler: fn(&mut Widget, &Event),
) -> Result<(), String> {
    let widget = Rc::clone(widget);
    let closure = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        // A handler that triggers another event synchronously (focus) must not re-enter.
        if let Ok(mut widget) = widget.try_borrow_mut() {
            handler(&mut widget, &event);
        }
    });
    target
        .add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())
        .map_err(|_| format!("cannot listen to {kind}"))?;
    // The widget lives as long as the page.
    closure.forget();
    Ok(())
}
