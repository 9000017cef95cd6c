//! What `check_scenario` reports about the invoice part of a scenario.

use didact_sim::invoice::{Amount, Cadre, Status};
use didact_sim::records::{RecipientAction, RecipientStep, WorksRole};
use didact_sim::{check_scenario, Scenario};

use crate::invoice_support::scenario;

#[track_caller]
fn check(change: impl FnOnce(&mut Scenario), expected: &[(&str, &str)]) {
    let mut scenario = scenario("scenario-factures");
    change(&mut scenario);
    let problems: Vec<(&str, String)> = check_scenario(&scenario)
        .into_iter()
        .map(|p| (p.code, p.path))
        .collect();
    let expected: Vec<(&str, String)> = expected.iter().map(|(c, p)| (*c, p.to_string())).collect();
    assert_eq!(problems, expected);
}

#[test]
fn printed_totals_must_match_the_lines() {
    check(
        |s| {
            let printed = s.documents[0].printed.as_mut().unwrap();
            printed.total_ttc = Some(Amount::from_cents(121_000));
        },
        &[(
            "scenario-inconsistent-amounts",
            "documents[0].printed.total_ttc",
        )],
    );
    check(
        |s| s.documents[2].invoice.already_paid = Amount::ZERO,
        &[
            (
                "scenario-inconsistent-amounts",
                "documents[2].printed.net_to_pay",
            ),
            (
                "scenario-inconsistent-amounts",
                "documents[2].invoice.already_paid",
            ),
        ],
    );
}

#[test]
fn documents_must_name_known_recipients_services_and_unique_ids() {
    check(
        |s| {
            s.documents[1].id = "fac-0042".to_owned();
            s.documents[1].file = "facture".to_owned();
            s.documents[3].invoice.service_code = "INCONNU".to_owned();
            s.documents[0].invoice.recipient_siret = "13990006200015".to_owned();
            s.documents[0].invoice.cadre = Some(Cadre::A4);
        },
        &[
            (
                "scenario-unknown-recipient",
                "documents[0].invoice.recipient_siret",
            ),
            ("scenario-invalid-cadre", "documents[0].invoice.cadre"),
            ("scenario-duplicate-document", "documents[1].id"),
            ("scenario-invalid-attachment", "documents[1].file"),
            (
                "scenario-unknown-service",
                "documents[3].invoice.service_code",
            ),
        ],
    );
}

#[test]
fn existing_invoices_follow_the_entry_rules_and_the_status_list() {
    check(
        |s| {
            s.invoices[1].form.number = "FAC-2025-0030".to_owned();
            s.invoices[1].form.lines[0].vat_rate = None;
            s.invoices[2].status = Status::Validee1;
            s.invoices[3].form.valideur_siret = "84260937200011".to_owned();
        },
        &[
            (
                "scenario-duplicate-invoice-number",
                "invoices[1].form.number",
            ),
            (
                "scenario-invalid-invoice",
                "invoices[1].form.lines[0].vat_rate",
            ),
            ("scenario-invalid-invoice-status", "invoices[2].status"),
            (
                "scenario-unknown-structure",
                "invoices[3].form.valideur_siret",
            ),
        ],
    );
}

#[test]
fn recipient_steps_need_reasons_and_a_reported_payment_status() {
    check(
        |s| {
            s.directory[0].settings.payment_status_not_reported = true;
            s.directory[1].behaviour.push(RecipientStep {
                after_days: 1,
                action: RecipientAction::Reject,
                reason: String::new(),
            });
        },
        &[
            (
                "scenario-payment-status-not-reported",
                "directory[0].behaviour[1].action",
            ),
            (
                "scenario-missing-reason",
                "directory[1].behaviour[1].reason",
            ),
        ],
    );
}

#[test]
fn works_contracts_need_known_actors_and_depositable_pieces() {
    let mut scenario = scenario("scenario-travaux");
    scenario.works[0].moe = None;
    scenario.works[0].moe_days = 9;
    scenario.works[0].moa = "13990006200015".to_owned();
    let problems: Vec<(&str, String)> = check_scenario(&scenario)
        .into_iter()
        .map(|p| (p.code, p.path))
        .collect();
    assert_eq!(
        problems,
        [
            ("scenario-unknown-structure", "works[0].moa".to_owned()),
            ("scenario-works-no-moe", "works[0].learner_roles".to_owned()),
            ("scenario-works-moe-days", "works[0].moe_days".to_owned()),
            (
                "scenario-invalid-works-piece",
                "works[0].pieces[0].cadre".to_owned()
            ),
        ]
    );
    assert!(scenario.works[0].learner_roles.contains(&WorksRole::Moe));
}
