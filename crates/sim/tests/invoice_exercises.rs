//! The nine exercises of FORMAT.md played as a learner would, and the exercise checks
//! (including the recomputed amounts).

use didact_sim::invoice::InvoiceForm;
use didact_sim::{check_exercise, evaluate, Exercise, Goal, World};

use crate::invoice_support::*;
use crate::support::DURAND;

#[track_caller]
fn assert_goals(world: &World, exercise: &Exercise, expected: &[bool]) {
    assert_eq!(evaluate(world, &exercise.goals), expected);
    for goal in &exercise.goals {
        assert!(goal.label().ends_with('.'), "{:?}", goal.label());
    }
}

fn send_new(world: &mut World, form: &InvoiceForm) {
    act(
        world,
        &user(LEARNER),
        &format!(r#"{{"type": "send_invoice", "form": {}}}"#, json(form)),
    );
}

/// What the learner types from a paper document (no pre-filling).
fn typed_from(world: &World, document: &str) -> InvoiceForm {
    let mut form = world.document(document).unwrap().invoice.clone();
    form.supplier_siret = DURAND.to_owned();
    form.vat_regime = Some(didact_sim::invoice::VatRegime::TvaSurDebit);
    form
}

#[test]
fn exercise_1_a1_invoice_to_a_recipient_requiring_a_code_service() {
    let (exercise, _) = exercise(1);
    let mut world = factures();
    assert_goals(&world, &exercise, &[false]);
    let (id, mut form) = deposit_pdf(&mut world, "fac-0042");
    form.service_code = "SERV-FIN".to_owned();
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "save_invoice_draft", "invoice_id": {id}, "form": {}}}"#,
            json(&form)
        ),
    );
    assert_goals(&world, &exercise, &[false]);
    send_draft(&mut world, id, &form);
    assert_goals(&world, &exercise, &[true]);
    assert_eq!(
        exercise.goals[0].label(),
        "Une facture A1 au destinataire 21990001600011, code service SERV-FIN, de 1\u{202f}234,56\u{a0}€ TTC est envoyée."
    );
}

#[test]
fn exercise_1_is_not_met_by_a_typed_invoice_or_another_amount() {
    let (exercise, _) = exercise(1);
    let mut world = factures();
    // Typed with « Saisir une facture » instead of deposited from the PDF.
    send_new(&mut world, &commune_form("FAC-2025-0042"));
    assert_goals(&world, &exercise, &[false]);
}

#[test]
fn exercise_2_a1_invoice_with_the_engagement_number() {
    let (exercise, _) = exercise(2);
    let mut world = factures();
    let mut form = typed_from(&world, "fac-0043");
    form.cadre = Some(didact_sim::invoice::Cadre::A1);
    form.engagement.clear();
    assert_eq!(
        refuse(
            &mut world,
            &user(LEARNER),
            &format!(r#"{{"type": "send_invoice", "form": {}}}"#, json(&form))
        ),
        ["engagement-required"]
    );
    form.engagement = "EJ2025-0456".to_owned();
    send_new(&mut world, &form);
    assert_goals(&world, &exercise, &[true]);
}

#[test]
fn exercise_3_a2_invoice_already_paid() {
    let (exercise, _) = exercise(3);
    let mut world = factures();
    let mut form = typed_from(&world, "fac-0044");
    form.already_paid = didact_sim::invoice::Amount::from_cents(250_000);
    assert_eq!(
        refuse(
            &mut world,
            &user(LEARNER),
            &format!(r#"{{"type": "send_invoice", "form": {}}}"#, json(&form))
        ),
        ["a2-not-fully-paid"]
    );
    form.already_paid = didact_sim::invoice::Amount::from_cents(300_000);
    send_new(&mut world, &form);
    assert_goals(&world, &exercise, &[true]);
}

#[test]
fn exercise_4_avoir() {
    let (exercise, _) = exercise(4);
    let mut world = factures();
    let (id, form) = deposit_pdf(&mut world, "avoir-0045");
    send_draft(&mut world, id, &form);
    assert_goals(&world, &exercise, &[true]);
    assert!(exercise.goals[0].label().starts_with("Un avoir"));
}

#[test]
fn exercise_5_recycle() {
    let (exercise, _) = exercise(5);
    let mut world = factures();
    assert_goals(&world, &exercise, &[false]);
    let invoice = invoice_by_number(&world, "FAC-2025-0030").clone();
    let mut form = invoice.form.clone();
    form.service_code = "SERV-FIN".to_owned();
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "recycle_invoice", "invoice_id": {}, "form": {}}}"#,
            invoice.id,
            json(&form)
        ),
    );
    assert_goals(&world, &exercise, &[true]);
}

#[test]
fn exercise_6_complete_a_suspended_invoice() {
    let (exercise, _) = exercise(6);
    let mut world = factures();
    let id = invoice_by_number(&world, "FAC-2025-0031").id;
    assert_goals(&world, &exercise, &[false, false]);
    act(
        &mut world,
        &user(LEARNER),
        &format!(r#"{{"type": "acknowledge_invoice", "invoice_id": {id}}}"#),
    );
    assert_goals(&world, &exercise, &[true, false]);
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "complete_invoice", "invoice_id": {id}, "attachments": [{}]}}"#,
            json(&pdf("bon-de-livraison.pdf"))
        ),
    );
    assert_goals(&world, &exercise, &[true, true]);
}

#[test]
fn exercise_7_validate_the_sous_traitant_invoice() {
    let (exercise, _) = exercise(7);
    let mut world = factures();
    let id = world.invoices_to_validate(LEARNER)[0].id;
    act(
        &mut world,
        &user(LEARNER),
        &format!(r#"{{"type": "validate_invoice", "invoice_id": {id}, "comment": "Conforme"}}"#),
    );
    assert_goals(&world, &exercise, &[true, false]);
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_to_next_event"}"#,
    );
    assert_goals(&world, &exercise, &[true, true]);
}

#[test]
fn exercise_7_is_not_met_by_tacit_validation() {
    let (exercise, _) = exercise(7);
    let mut world = factures();
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_days", "days": 20}"#,
    );
    assert_goals(&world, &exercise, &[false, true]);
}

#[test]
fn exercise_8_the_works_chain_with_the_moe_step() {
    let (exercise, _) = exercise(8);
    let mut world = travaux();
    let dossier = world.works[0].id;
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "deposit_works_piece", "dossier_id": {dossier}, "cadre": "A4", "number": "PD-2025-04", "amount_ht": "8200.00", "vat_rate": "10"}}"#
        ),
    );
    assert_goals(&world, &exercise, &[true, false, false]);
    switch(&mut world, "moe");
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "create_etat_acompte", "dossier_id": {dossier}, "projet_id": 1, "number": "EA-2025-04", "amount_ht": "8200.00"}}"#
        ),
    );
    assert_goals(&world, &exercise, &[true, true, false]);
    switch(&mut world, "moa");
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "validate_etat_acompte", "dossier_id": {dossier}, "etat_id": 2, "number": "EAV-2025-04", "amount_ht": "8200.00"}}"#
        ),
    );
    assert_goals(&world, &exercise, &[true, true, true]);
}

#[test]
fn exercise_9_send_a_sollicitation() {
    let (exercise, _) = exercise(9);
    let mut world = factures();
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "create_sollicitation", "draft": true, "form": {"category": "Facture", "subcategory": "Facture rejetée ou suspendue", "invoice_number": "FAC-2025-0031", "title": "Suspension", "message": "Quelle pièce manque-t-il ?"}}"#,
    );
    assert_goals(&world, &exercise, &[false]);
    let id = world.sollicitations[0].id;
    act(
        &mut world,
        &user(LEARNER),
        &format!(r#"{{"type": "send_sollicitation", "sollicitation_id": {id}}}"#),
    );
    assert_goals(&world, &exercise, &[true]);
}

fn codes_of(goal_yaml: &str) -> Vec<&'static str> {
    let (mut exercise, scenario) = exercise(1);
    exercise.goals = serde_yaml::from_str::<Exercise>(&format!(
        "{{id: x, scenario: s, title: t, goals: [{goal_yaml}]}}"
    ))
    .unwrap()
    .goals;
    check_exercise(&exercise, &scenario)
        .into_iter()
        .map(|p| p.code)
        .collect()
}

#[test]
fn a_goal_amount_no_document_can_give_fails_the_check() {
    assert_eq!(
        codes_of(r#"{invoice_sent: {document: fac-0042, total_ttc: "1 234,57"}}"#),
        ["exercise-inconsistent-amount"]
    );
    assert_eq!(
        codes_of(r#"{invoice_sent: {cadre: A1, total_ttc: "999,99"}}"#),
        ["exercise-inconsistent-amount"]
    );
    // The right total of any document is accepted.
    assert!(codes_of(r#"{invoice_sent: {total_ttc: "486,00"}}"#).is_empty());
    assert!(codes_of(r#"{invoice_sent: {total_ht: "405.00", net_to_pay: "486"}}"#).is_empty());
    assert_eq!(
        codes_of(r#"{invoice_sent: {cadre: A2, net_to_pay: "100"}}"#),
        [
            "exercise-inconsistent-amount",
            "exercise-inconsistent-amount"
        ]
    );
}

#[test]
fn a_goal_amount_without_documents_fails_the_check() {
    let (mut exercise, mut scenario) = exercise(1);
    scenario.documents.clear();
    scenario.invoices.clear();
    exercise.goals = vec![Goal::InvoiceSent(didact_sim::exercise::InvoiceCriteria {
        total_ttc: Some(didact_sim::invoice::Amount::from_cents(100)),
        ..Default::default()
    })];
    let codes: Vec<_> = check_exercise(&exercise, &scenario)
        .into_iter()
        .map(|p| p.code)
        .collect();
    assert_eq!(codes, ["exercise-amount-without-document"]);
}

#[test]
fn invoice_goals_naming_unknown_things_are_reported() {
    assert_eq!(
        codes_of(r#"{invoice_sent: {cadre: A4, recipient_siret: "13990006200015"}}"#),
        ["exercise-invalid-cadre", "exercise-unknown-recipient"]
    );
    assert_eq!(
        codes_of(r#"{invoice_sent: {recipient_siret: "21990001600011", service_code: "ECOLES"}}"#),
        ["exercise-unknown-service"]
    );
    assert_eq!(
        codes_of(r#"{invoice_sent: {document: nope}}"#),
        ["exercise-unknown-document"]
    );
    assert_eq!(
        codes_of(r#"{invoice_completed: {number: "FAC-404"}}"#),
        ["exercise-unknown-invoice"]
    );
    assert_eq!(
        codes_of(r#"{invoice_validated: {number: "FAC-2025-0030"}}"#),
        ["exercise-invoice-not-for-validation"]
    );
    assert_eq!(
        codes_of(r#"{etat_acompte_validated: {projet_number: "PD-1"}}"#),
        ["exercise-no-works-dossier"]
    );
    assert_eq!(
        codes_of(r#"{sollicitation_sent: {category: "Facture", subcategory: "Autre"}}"#),
        ["exercise-unknown-category"]
    );
    let error = serde_yaml::from_str::<Exercise>(
        r#"{id: x, scenario: s, title: t, goals: [{invoice_sent: {total_ttc: "12,345"}}]}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("is not an amount"), "{error}");
}

#[test]
fn invoice_goals_survive_json() {
    for n in 1..=9 {
        let (exercise, _) = exercise(n);
        let text = json(&exercise);
        let back: Exercise = serde_json::from_str(&text).unwrap();
        assert_eq!(back, exercise, "{text}");
    }
}
