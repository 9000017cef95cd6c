//! Invoice operations through `apply`: drafts, sending, PDF deposit, returns, valideur.

use didact_sim::invoice::{Acknowledgement, Amount, Cadre, Status};
use didact_sim::records::{EntryMode, InvoiceFilter};
use didact_sim::{apply, Action, OutcomeData};

use crate::invoice_support::*;
use crate::support::DURAND;

fn send(number: &str) -> String {
    format!(
        r#"{{"type": "send_invoice", "form": {}}}"#,
        json(&commune_form(number))
    )
}

#[test]
fn sending_an_invoice_returns_the_certificat_de_depot() {
    let mut world = factures();
    let outcome = act(&mut world, &user(LEARNER), &send("FAC-2025-0100"));
    assert_eq!(
        outcome.message,
        "La facture n° FAC-2025-0100 est validée, elle est en cours de transmission."
    );
    let Some(OutcomeData::Certificate {
        invoice_id,
        certificate,
    }) = outcome.data
    else {
        panic!("a certificate: {:?}", outcome.data)
    };
    assert_eq!(certificate.total_ttc, Amount::from_cents(123_456));
    assert_eq!(certificate.recipient_name, "Commune de Saint-Exemple");
    assert_eq!(certificate.supplier_name, "Menuiserie Durand SARL");
    assert_eq!(certificate.deposited_on.to_iso_string(), "2025-03-03");
    assert_eq!(certificate.payment_due.to_iso_string(), "2025-04-02");
    assert!(certificate.deposit_number.starts_with("DEP-2025-"));
    let invoice = world.invoice(invoice_id).unwrap();
    assert_eq!(invoice.tracking.status, Status::Deposee);
    assert_eq!(invoice.certificate.as_ref(), Some(&*certificate));
}

#[test]
fn a_draft_is_saved_with_warnings_and_sent_later() {
    let mut world = factures();
    let mut form = commune_form("FAC-2025-0101");
    form.service_code.clear();
    let outcome = act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "save_invoice_draft", "form": {}}}"#,
            json(&form)
        ),
    );
    let Some(OutcomeData::Invoice { invoice_id }) = outcome.data else {
        panic!("an invoice id")
    };
    assert!(
        outcome.warnings.is_empty(),
        "entry rules do not need the service"
    );
    assert_eq!(
        world.invoice(invoice_id).unwrap().tracking.status,
        Status::Brouillon
    );
    // Sending the draft without the code service is refused by the recipient's setting.
    let codes = refused(&mut world, &send_draft_action(invoice_id, &form));
    assert_eq!(codes, ["service-required"]);
    form.service_code = "SERV-FIN".to_owned();
    act(
        &mut world,
        &user(LEARNER),
        &send_draft_action(invoice_id, &form),
    );
    let invoice = world.invoice(invoice_id).unwrap();
    assert_eq!(invoice.tracking.status, Status::Deposee);
    assert_eq!(
        invoice
            .tracking
            .history
            .iter()
            .map(|h| h.status)
            .collect::<Vec<_>>(),
        [Status::Brouillon, Status::Deposee]
    );
    // A sent invoice is no longer a draft.
    let codes = refused(
        &mut world,
        &format!(
            r#"{{"type": "save_invoice_draft", "invoice_id": {invoice_id}, "form": {}}}"#,
            json(&form)
        ),
    );
    assert_eq!(codes, ["invoice-not-draft"]);
}

#[test]
fn draft_entry_errors_come_back_as_warnings_and_drafts_can_be_deleted() {
    let mut world = factures();
    let mut form = commune_form("");
    form.lines[0].vat_rate = None;
    let outcome = act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "save_invoice_draft", "form": {}}}"#,
            json(&form)
        ),
    );
    let codes: Vec<&str> = outcome.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, ["number-required", "line-vat-rate-required"]);
    let Some(OutcomeData::Invoice { invoice_id }) = outcome.data else {
        panic!("an invoice id")
    };
    act(
        &mut world,
        &user(LEARNER),
        &format!(r#"{{"type": "delete_invoice_draft", "invoice_id": {invoice_id}}}"#),
    );
    assert!(world.invoice(invoice_id).unwrap().tracking.status == Status::Supprimee);
    assert!(world
        .invoices_of(LEARNER)
        .iter()
        .all(|i| i.id != invoice_id));
}

#[test]
fn invoice_number_is_unique_per_supplier_even_after_a_rejection() {
    let mut world = factures();
    // FAC-2025-0029 was rejected: its number stays taken.
    assert_eq!(
        refused(&mut world, &send("FAC-2025-0029")),
        ["number-duplicate"]
    );
    act(&mut world, &user(LEARNER), &send("FAC-2025-0102"));
    assert_eq!(
        refused(&mut world, &send("fac-2025-0102")),
        ["number-duplicate"]
    );
}

#[test]
fn only_users_with_factures_emises_may_issue_invoices_for_a_structure() {
    let mut world = factures();
    // Paul is not attached to Moreau Électricité.
    let mut form = commune_form("X-1");
    form.supplier_siret = MOREAU.to_owned();
    let json_action = format!(r#"{{"type": "send_invoice", "form": {}}}"#, json(&form));
    assert_eq!(refused(&mut world, &json_action), ["supplier-not-attached"]);
    assert_eq!(
        refuse(&mut world, &didact_sim::UserRef::Anonymous, &send("X-2")),
        ["not-logged-in"]
    );
}

#[test]
fn cadres_offered_follow_the_roles_and_a9_needs_a_valideur() {
    let world = factures();
    assert_eq!(world.cadres_offered(DURAND), [Cadre::A1, Cadre::A2]);
    assert_eq!(world.cadres_offered(MOREAU), [Cadre::A9]);
    let mut world = world;
    let mut form = commune_form("FAC-A9");
    form.cadre = Some(Cadre::A9);
    let codes = refused(
        &mut world,
        &format!(r#"{{"type": "send_invoice", "form": {}}}"#, json(&form)),
    );
    assert_eq!(codes, ["cadre-not-offered", "valideur-required"]);
}

#[test]
fn a_pdf_pre_fills_a_draft_that_the_learner_completes() {
    let mut world = factures();
    let (invoice_id, _) = deposit_pdf(&mut world, "fac-0042");
    let invoice = world.invoice(invoice_id).unwrap().clone();
    assert_eq!(invoice.mode, EntryMode::DepotPdf);
    assert_eq!(invoice.document.as_deref(), Some("fac-0042"));
    assert_eq!(invoice.form.number, "FAC-2025-0042");
    assert_eq!(invoice.form.supplier_siret, DURAND);
    assert_eq!(invoice.form.attachments[0].name, "FAC-2025-0042.pdf");
    // The PDF has no code service: the commune requires one.
    assert_eq!(
        refused(&mut world, &send_draft_action(invoice_id, &invoice.form)),
        ["service-required"]
    );
    let mut form = invoice.form.clone();
    form.service_code = "SERV-FIN".to_owned();
    send_draft(&mut world, invoice_id, &form);
    assert!(world.invoice(invoice_id).unwrap().is_sent());
}

#[test]
fn a_pdf_draft_needs_a_known_recipient_and_unknown_documents_are_refused() {
    let mut world = factures();
    let (invoice_id, mut form) = deposit_pdf(&mut world, "fac-0042");
    form.recipient_siret = "81900001900011".to_owned();
    assert_eq!(
        refused(
            &mut world,
            &format!(
                r#"{{"type": "save_invoice_draft", "invoice_id": {invoice_id}, "form": {}}}"#,
                json(&form)
            )
        ),
        ["recipient-unknown"]
    );
    assert_eq!(
        refused(&mut world, &deposit_pdf_action("nope")),
        ["document-unknown"]
    );
}

#[test]
fn a_password_protected_pdf_is_refused() {
    let mut world = factures();
    world.documents[0].password_protected = true;
    assert_eq!(
        refused(&mut world, &deposit_pdf_action("fac-0042")),
        ["attachment-password-protected"]
    );
}

#[test]
fn recycling_changes_only_the_routing_fields_and_keeps_the_number() {
    let mut world = factures();
    let invoice = invoice_by_number(&world, "FAC-2025-0030").clone();
    assert_eq!(invoice.tracking.status, Status::ARecycler);
    let recycle = |form: &didact_sim::invoice::InvoiceForm| {
        format!(
            r#"{{"type": "recycle_invoice", "invoice_id": {}, "form": {}}}"#,
            invoice.id,
            json(form)
        )
    };
    // Nothing corrected.
    assert_eq!(
        refused(&mut world, &recycle(&invoice.form)),
        ["recycle-nothing-changed", "service-unknown"]
    );
    // A new number is not allowed.
    let mut renumbered = invoice.form.clone();
    renumbered.service_code = "SERV-FIN".to_owned();
    renumbered.number = "FAC-2025-0130".to_owned();
    assert_eq!(
        refused(&mut world, &recycle(&renumbered)),
        ["recycle-number-changed"]
    );
    // Lines are locked.
    let mut relined = invoice.form.clone();
    relined.service_code = "SERV-FIN".to_owned();
    relined.lines[0].unit_price = rust_decimal::Decimal::new(600, 0);
    assert_eq!(
        refused(&mut world, &recycle(&relined)),
        ["recycle-field-locked"]
    );
    let mut fixed = invoice.form.clone();
    fixed.service_code = "SERV-FIN".to_owned();
    let outcome = act(&mut world, &user(LEARNER), &recycle(&fixed));
    assert!(
        outcome.message.contains("sous le même numéro"),
        "{}",
        outcome.message
    );
    let recycled = world.invoice(invoice.id).unwrap();
    assert_eq!(recycled.tracking.status, Status::MiseADisposition);
    assert_eq!(recycled.form.service_code, "SERV-FIN");
    // Only an invoice « À recycler » can be recycled.
    assert_eq!(
        refused(&mut world, &recycle(&fixed)),
        ["status-not-allowed"]
    );
}

#[test]
fn a_suspended_invoice_is_completed_with_attachments() {
    let mut world = factures();
    let id = invoice_by_number(&world, "FAC-2025-0031").id;
    let complete = |attachments: &[didact_sim::invoice::Attachment]| {
        format!(
            r#"{{"type": "complete_invoice", "invoice_id": {id}, "attachments": {}}}"#,
            json(&attachments)
        )
    };
    assert_eq!(refused(&mut world, &complete(&[])), ["attachment-required"]);
    assert_eq!(
        refused(&mut world, &complete(&[pdf("bon.exe")])),
        ["attachment-extension-refused"]
    );
    act(
        &mut world,
        &user(LEARNER),
        &complete(&[pdf("bon-de-livraison.pdf")]),
    );
    let invoice = world.invoice(id).unwrap();
    assert_eq!(invoice.tracking.status, Status::Completee);
    assert_eq!(invoice.form.attachments.len(), 1);
    // Completing twice is not allowed.
    assert_eq!(
        refused(&mut world, &complete(&[pdf("autre.pdf")])),
        ["status-not-allowed"]
    );
}

#[test]
fn rejections_are_acknowledged_and_become_mandatory_after_seven_days() {
    let mut world = factures();
    let rejected = invoice_by_number(&world, "FAC-2025-0029").id;
    let suspended = invoice_by_number(&world, "FAC-2025-0031").id;
    // Rejected on 20/02, today is 03/03: more than 7 days.
    let due: Vec<(u64, Acknowledgement)> = world
        .acknowledgements_due(LEARNER)
        .into_iter()
        .map(|(i, ack)| (i.id, ack))
        .collect();
    assert!(due.contains(&(rejected, Acknowledgement::Mandatory)));
    assert!(due.contains(&(suspended, Acknowledgement::Offered)));
    let ack = format!(r#"{{"type": "acknowledge_invoice", "invoice_id": {rejected}}}"#);
    act(&mut world, &user(LEARNER), &ack);
    assert_eq!(refused(&mut world, &ack), ["nothing-to-acknowledge"]);
    let sent = invoice_by_number(&world, "FAC-2025-0030").id;
    assert_eq!(
        refused(
            &mut world,
            &format!(r#"{{"type": "acknowledge_invoice", "invoice_id": {sent}}}"#)
        ),
        ["nothing-to-acknowledge"]
    );
}

#[test]
fn a_rejected_invoice_is_final() {
    let mut world = factures();
    let invoice = invoice_by_number(&world, "FAC-2025-0029").clone();
    let mut form = invoice.form.clone();
    form.service_code = "X".to_owned();
    assert_eq!(
        refused(
            &mut world,
            &format!(
                r#"{{"type": "recycle_invoice", "invoice_id": {}, "form": {}}}"#,
                invoice.id,
                json(&form)
            )
        ),
        ["status-not-allowed"]
    );
}

#[test]
fn the_titulaire_validates_or_refuses_a_sous_traitant_invoice() {
    let mut world = factures();
    let to_validate: Vec<&str> = world
        .invoices_to_validate(LEARNER)
        .iter()
        .map(|i| i.form.number.as_str())
        .collect();
    assert_eq!(to_validate, ["ST-2025-007"]);
    let id = invoice_by_number(&world, "ST-2025-007").id;
    // The sous-traitant cannot validate his own invoice.
    assert_eq!(
        refuse(
            &mut world,
            &user(MARC),
            &format!(r#"{{"type": "validate_invoice", "invoice_id": {id}}}"#)
        ),
        ["not-valideur"]
    );
    // A refusal needs a reason.
    assert_eq!(
        refused(
            &mut world,
            &format!(r#"{{"type": "refuse_invoice", "invoice_id": {id}, "reason": " "}}"#)
        ),
        ["status-reason-required"]
    );
    let mut refused = world.clone();
    act(
        &mut refused,
        &user(LEARNER),
        &format!(
            r#"{{"type": "refuse_invoice", "invoice_id": {id}, "reason": "Travaux non réalisés"}}"#
        ),
    );
    assert_eq!(
        refused.invoice(id).unwrap().tracking.status,
        Status::Refusee1
    );
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "validate_invoice", "invoice_id": {id}, "comment": "Vous êtes titulaire : travaux conformes"}}"#
        ),
    );
    assert_eq!(world.invoice(id).unwrap().tracking.status, Status::Validee1);
    assert!(world.invoices_to_validate(LEARNER).is_empty());
}

#[test]
fn the_suivi_list_searches_and_filters() {
    let mut world = factures();
    act(&mut world, &user(LEARNER), &send("FAC-2025-0200"));
    let numbers = |filter: &InvoiceFilter| -> Vec<String> {
        world
            .search_invoices(LEARNER, filter)
            .iter()
            .map(|i| i.form.number.clone())
            .collect()
    };
    assert_eq!(
        numbers(&InvoiceFilter::default()),
        [
            "FAC-2025-0200",
            "FAC-2025-0029",
            "FAC-2025-0031",
            "FAC-2025-0030"
        ]
    );
    let by_status = InvoiceFilter {
        status: Some(Status::ARecycler),
        ..InvoiceFilter::default()
    };
    assert_eq!(numbers(&by_status), ["FAC-2025-0030"]);
    let by_text = InvoiceFilter {
        text: "lycée".to_owned(),
        ..InvoiceFilter::default()
    };
    assert_eq!(numbers(&by_text), ["FAC-2025-0029", "FAC-2025-0031"]);
    let by_recipient = InvoiceFilter {
        recipient_siret: COMMUNE.to_owned(),
        from: Some(didact_sim::invoice::Date::parse("2025-02-20").unwrap()),
        ..InvoiceFilter::default()
    };
    assert_eq!(numbers(&by_recipient), ["FAC-2025-0200"]);
    // Moreau's invoice is not in Paul's « Factures émises ».
    assert!(world
        .invoices_of(LEARNER)
        .iter()
        .all(|i| i.form.supplier_siret == DURAND));
}

#[test]
fn every_invoice_action_survives_json() {
    let action = Action::SendInvoice {
        invoice_id: Some(9999),
        form: commune_form("FAC-1"),
    };
    let text = json(&action);
    assert!(text.contains(r#""type":"send_invoice""#), "{text}");
    assert_eq!(serde_json::from_str::<Action>(&text).unwrap(), action);
    let mut world = factures();
    let outcome = apply(&mut world, &user(LEARNER), action).unwrap_err();
    assert_eq!(outcome[0].code, "invoice-unknown");
}
