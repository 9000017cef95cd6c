//! The invoice scenarios and exercises of FORMAT.md, parsed from the document itself so that
//! what course authors copy is what the tests run.

use didact_sim::invoice::{Attachment, InvoiceForm};
use didact_sim::records::Invoice;
use didact_sim::{check_exercise, check_scenario, Exercise, OutcomeData, Scenario, World};

pub use crate::support::{act, refuse, user, LEARNER};

const FORMAT: &str = include_str!("../FORMAT.md");

pub const COMMUNE: &str = "21990001600011";
pub const MOREAU: &str = "83716249400012";
pub const MARC: &str = "marc.moreau@moreau-electricite.fr";

/// The YAML block that follows `<!-- example: name -->` in FORMAT.md.
pub fn example(name: &str) -> &'static str {
    let marker = format!("<!-- example: {name} -->");
    let start = FORMAT
        .find(&marker)
        .unwrap_or_else(|| panic!("no example {name} in FORMAT.md"));
    let rest = &FORMAT[start..];
    let open = rest.find("```yaml\n").expect("a yaml block follows") + "```yaml\n".len();
    let close = rest[open..].find("```").expect("the block is closed");
    &rest[open..open + close]
}

pub fn scenario(name: &str) -> Scenario {
    let scenario: Scenario = serde_yaml::from_str(example(name))
        .unwrap_or_else(|e| panic!("scenario {name} parses: {e}"));
    assert_eq!(
        check_scenario(&scenario),
        vec![],
        "scenario {name} is clean"
    );
    scenario
}

pub fn factures() -> World {
    World::from_scenario(&scenario("scenario-factures"))
}

pub fn travaux() -> World {
    World::from_scenario(&scenario("scenario-travaux"))
}

/// Exercise `n` of FORMAT.md, checked against its scenario.
pub fn exercise(n: u8) -> (Exercise, Scenario) {
    let exercise: Exercise = serde_yaml::from_str(example(&format!("exercise-{n}")))
        .unwrap_or_else(|e| panic!("exercise {n} parses: {e}"));
    let scenario = if n == 8 {
        scenario("scenario-travaux")
    } else {
        scenario("scenario-factures")
    };
    assert_eq!(
        check_exercise(&exercise, &scenario),
        vec![],
        "exercise {n} is clean"
    );
    (exercise, scenario)
}

pub fn invoice_by_number<'a>(world: &'a World, number: &str) -> &'a Invoice {
    world
        .invoices
        .iter()
        .find(|i| i.form.number == number)
        .unwrap_or_else(|| panic!("no invoice {number}"))
}

/// An A1 invoice form to the commune that passes every rule (FAC-2025-0042's lines).
pub fn commune_form(number: &str) -> InvoiceForm {
    let mut form: InvoiceForm = serde_json::from_str(
        r#"{"cadre": "A1", "supplier_siret": "81452763600017", "recipient_siret": "21990001600011",
"service_code": "SERV-FIN", "invoice_date": "2025-02-28", "vat_regime": "TVA_SUR_DEBIT",
"lines": [{"description": "Porte intérieure en chêne", "quantity": "4", "unit_price": "257.20", "vat_rate": "20"}]}"#,
    )
    .unwrap();
    form.number = number.to_owned();
    form
}

pub fn pdf(name: &str) -> Attachment {
    Attachment {
        name: name.to_owned(),
        size_bytes: 20_000,
        password_protected: false,
    }
}

pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

/// Deposits the PDF `document` for Durand (« Déposer une facture ») and returns the draft's
/// id and its pre-filled form.
pub fn deposit_pdf(world: &mut World, document: &str) -> (u64, InvoiceForm) {
    let outcome = act(world, &user(LEARNER), &deposit_pdf_action(document));
    let Some(OutcomeData::Invoice { invoice_id }) = outcome.data else {
        panic!("an invoice")
    };
    (invoice_id, world.invoice(invoice_id).unwrap().form.clone())
}

/// The action that deposits the PDF `document` for Durand.
pub fn deposit_pdf_action(document: &str) -> String {
    format!(
        r#"{{"type": "deposit_pdf", "document": "{document}", "supplier_siret": "{}"}}"#,
        crate::support::DURAND
    )
}

/// The action that sends the draft `invoice_id` with `form`.
pub fn send_draft_action(invoice_id: u64, form: &InvoiceForm) -> String {
    format!(
        r#"{{"type": "send_invoice", "invoice_id": {invoice_id}, "form": {}}}"#,
        json(form)
    )
}

/// Sends the draft `invoice_id` with `form`, which must succeed.
pub fn send_draft(world: &mut World, invoice_id: u64, form: &InvoiceForm) {
    act(world, &user(LEARNER), &send_draft_action(invoice_id, form));
}

/// The codes of the errors that refuse `action` to the learner.
pub fn refused(world: &mut World, action: &str) -> Vec<&'static str> {
    refuse(world, &user(LEARNER), action)
}

/// Deposits a works piece with `action`, which must succeed, and returns its id.
pub fn piece(world: &mut World, action: &str) -> usize {
    match act(world, &user(LEARNER), action).data {
        Some(OutcomeData::WorksPiece { piece_id, .. }) => piece_id,
        other => panic!("a works piece, got {other:?}"),
    }
}

/// The action that makes the learner play `role` in the works dossier `dossier`.
pub fn switch_role_action(dossier: u64, role: &str) -> String {
    format!(r#"{{"type": "switch_works_role", "dossier_id": {dossier}, "role": "{role}"}}"#)
}

/// The learner plays `role` in the first works dossier.
pub fn switch(world: &mut World, role: &str) {
    let dossier = world.works[0].id;
    act(world, &user(LEARNER), &switch_role_action(dossier, role));
}
