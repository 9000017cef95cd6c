//! The simulated clock: routing, the recipients' scripted behaviour, tacit validation, the
//! « statut mise en paiement » setting, and « jusqu'au prochain événement ».

use didact_sim::clock::next_event_day;
use didact_sim::invoice::{Date, Status};
use didact_sim::records::{RecipientAction, RecipientStep};
use didact_sim::world::EmailKind;
use didact_sim::World;

use crate::invoice_support::*;

fn statuses(world: &World, number: &str) -> Vec<Status> {
    invoice_by_number(world, number)
        .tracking
        .history
        .iter()
        .map(|h| h.status)
        .collect()
}

fn send(world: &mut World, number: &str) -> u64 {
    let outcome = act(
        world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "send_invoice", "form": {}}}"#,
            json(&commune_form(number))
        ),
    );
    match outcome.data {
        Some(didact_sim::OutcomeData::Certificate { invoice_id, .. }) => invoice_id,
        other => panic!("a certificate: {other:?}"),
    }
}

fn next_event(world: &mut World) {
    act(
        world,
        &user(LEARNER),
        r#"{"type": "advance_to_next_event"}"#,
    );
}

fn advance_days(world: &mut World, days: u32) {
    act(
        world,
        &user(LEARNER),
        &format!(r#"{{"type": "advance_days", "days": {days}}}"#),
    );
}

fn complete_with_pdf(world: &mut World, id: u64, name: &str) {
    act(
        world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "complete_invoice", "invoice_id": {id}, "attachments": [{}]}}"#,
            json(&pdf(name))
        ),
    );
}

fn status(world: &World, id: u64) -> Status {
    world.invoice(id).unwrap().tracking.status
}

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

#[test]
fn a_sent_invoice_is_routed_then_processed_until_mise_en_paiement() {
    let mut world = factures();
    send(&mut world, "FAC-2025-0300");
    advance_days(&mut world, 1);
    assert_eq!(
        invoice_by_number(&world, "FAC-2025-0300").tracking.status,
        Status::EnCoursAcheminement
    );
    assert_eq!(world.today(), day("2025-03-04"));
    next_event(&mut world);
    assert_eq!(world.today(), day("2025-03-05"));
    assert_eq!(
        invoice_by_number(&world, "FAC-2025-0300").tracking.status,
        Status::MiseADisposition
    );
    // The commune: service fait after 2 days, mise en paiement 5 days later.
    advance_days(&mut world, 30);
    assert_eq!(
        statuses(&world, "FAC-2025-0300"),
        [
            Status::Brouillon,
            Status::Deposee,
            Status::EnCoursAcheminement,
            Status::MiseADisposition,
            Status::ServiceFait,
            Status::MiseEnPaiement
        ]
    );
    let history = &invoice_by_number(&world, "FAC-2025-0300").tracking.history;
    assert_eq!(history[4].at, day("2025-03-07"));
    assert_eq!(history[5].at, day("2025-03-12"));
    assert_eq!(world.today(), day("2025-04-04"));
}

#[test]
fn a_recipient_that_does_not_report_the_payment_stops_before_mise_en_paiement() {
    let mut world = factures();
    world.directory[0].settings.payment_status_not_reported = true;
    send(&mut world, "FAC-2025-0301");
    advance_days(&mut world, 30);
    let invoice = invoice_by_number(&world, "FAC-2025-0301");
    assert_eq!(invoice.tracking.status, Status::ServiceFait);
    assert_eq!(invoice.next_step, 2, "the refused step was skipped");
}

#[test]
fn the_recipient_returns_invoices_and_notifies_the_supplier() {
    let mut world = factures();
    // Without the A9 invoice, whose tacit validation is scheduled.
    world.invoices.retain(|i| i.form.number != "ST-2025-007");
    world.directory[0].behaviour = vec![
        RecipientStep {
            after_days: 1,
            action: RecipientAction::Recycle,
            reason: "Erreur de destinataire".to_owned(),
        },
        RecipientStep {
            after_days: 1,
            action: RecipientAction::Suspend,
            reason: "Pièces justificatives manquantes".to_owned(),
        },
        RecipientStep {
            after_days: 2,
            action: RecipientAction::Reject,
            reason: "Montant erroné".to_owned(),
        },
    ];
    let id = send(&mut world, "FAC-2025-0302");
    advance_days(&mut world, 3);
    assert_eq!(status(&world, id), Status::ARecycler);
    let mail = world.emails_for(LEARNER).last().cloned().cloned().unwrap();
    assert_eq!(
        mail.kind,
        EmailKind::InvoiceReturned {
            invoice_id: id,
            status: Status::ARecycler
        }
    );
    assert!(
        mail.body.contains("Motif : Erreur de destinataire"),
        "{}",
        mail.body
    );
    // Nothing happens while the supplier has not re-addressed it.
    assert_eq!(next_event_day(&world), None);
    assert_eq!(
        refuse(
            &mut world,
            &user(LEARNER),
            r#"{"type": "advance_to_next_event"}"#
        ),
        ["no-event-scheduled"]
    );
    let mut form = world.invoice(id).unwrap().form.clone();
    form.engagement = "EJ-1".to_owned();
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "recycle_invoice", "invoice_id": {id}, "form": {}}}"#,
            json(&form)
        ),
    );
    next_event(&mut world);
    assert_eq!(status(&world, id), Status::Suspendue);
    complete_with_pdf(&mut world, id, "bl.pdf");
    next_event(&mut world);
    assert_eq!(status(&world, id), Status::Rejetee);
    assert_eq!(
        statuses(&world, "FAC-2025-0302")[3..],
        [
            Status::MiseADisposition,
            Status::ARecycler,
            Status::MiseADisposition,
            Status::Suspendue,
            Status::Completee,
            Status::Rejetee
        ]
    );
}

#[test]
fn a_completed_scenario_invoice_is_then_paid_by_the_lycee() {
    let mut world = factures();
    let id = invoice_by_number(&world, "FAC-2025-0031").id;
    assert_eq!(
        next_event_day(&world),
        Some(day("2025-03-16")),
        "tacit validation of ST-2025-007"
    );
    complete_with_pdf(&mut world, id, "bl.pdf");
    assert_eq!(next_event_day(&world), Some(day("2025-03-07")));
    next_event(&mut world);
    assert_eq!(status(&world, id), Status::MiseEnPaiement);
}

#[test]
fn without_an_answer_the_valideur_validates_tacitly_after_15_days() {
    let mut world = factures();
    let id = invoice_by_number(&world, "ST-2025-007").id;
    advance_days(&mut world, 12);
    assert_eq!(status(&world, id), Status::AValider1);
    advance_days(&mut world, 1);
    assert_eq!(status(&world, id), Status::AbsenceValidation1HorsDelai);
    advance_days(&mut world, 1);
    assert_eq!(status(&world, id), Status::MiseADisposition);
}

#[test]
fn a_sent_a9_invoice_waits_for_its_valideur() {
    let mut world = factures();
    // Marc, the sous-traitant, needs an active session: scenario accounts are active.
    let mut form = commune_form("ST-2025-008");
    form.cadre = Some(didact_sim::invoice::Cadre::A9);
    form.supplier_siret = MOREAU.to_owned();
    form.valideur_siret = crate::support::DURAND.to_owned();
    act(
        &mut world,
        &user(MARC),
        &format!(r#"{{"type": "send_invoice", "form": {}}}"#, json(&form)),
    );
    next_event(&mut world);
    assert_eq!(
        invoice_by_number(&world, "ST-2025-008").tracking.status,
        Status::AValider1
    );
    assert_eq!(world.invoices_to_validate(LEARNER).len(), 2);
}

#[test]
fn advancing_the_clock_in_minutes_plays_the_events_too() {
    let mut world = factures();
    send(&mut world, "FAC-2025-0303");
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_clock", "minutes": 2880}"#,
    );
    assert_eq!(
        invoice_by_number(&world, "FAC-2025-0303").tracking.status,
        Status::MiseADisposition
    );
    assert_eq!(
        refuse(
            &mut world,
            &user(LEARNER),
            r#"{"type": "advance_days", "days": 0}"#
        ),
        ["days-required"]
    );
}
