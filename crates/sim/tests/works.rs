//! Works dossiers (A4 → A15 → A19) and sollicitations through `apply` and the clock.

use didact_sim::invoice::{Cadre, SollicitationStatus, WorksStatus};
use didact_sim::records::WorksRole;
use didact_sim::world::EmailKind;
use didact_sim::OutcomeData;

use crate::invoice_support::*;

#[test]
fn the_learner_plays_titulaire_moe_and_moa_in_turn() {
    let mut world = travaux();
    let dossier = world.works[0].id;
    assert_eq!(world.works[0].current_role, Some(WorksRole::Titulaire));
    let projet = piece(
        &mut world,
        &format!(
            r#"{{"type": "deposit_works_piece", "dossier_id": {dossier}, "cadre": "A4", "number": "PD-2025-04", "amount_ht": "8200.00", "vat_rate": "10"}}"#
        ),
    );
    let etat_action = format!(
        r#"{{"type": "create_etat_acompte", "dossier_id": {dossier}, "projet_id": {projet}, "number": "EA-04", "amount_ht": "8000.00"}}"#
    );
    // Still the titulaire: the MOE step is not his.
    assert_eq!(refused(&mut world, &etat_action), ["works-wrong-role"]);
    switch(&mut world, "moe");
    let outcome = act(&mut world, &user(LEARNER), &etat_action);
    assert!(
        outcome.message.contains("30 jours"),
        "corrected amount: {}",
        outcome.message
    );
    let Some(OutcomeData::WorksPiece { piece_id: etat, .. }) = outcome.data else {
        panic!("a piece")
    };
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[projet].status, WorksStatus::PriseEnCompteMoe);
    assert_eq!(pieces[etat].cadre, Cadre::A15);
    assert_eq!(pieces[etat].status, WorksStatus::MiseADispositionMoa);
    switch(&mut world, "moa");
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "validate_etat_acompte", "dossier_id": {dossier}, "etat_id": {etat}, "number": "EAV-04", "amount_ht": "8000.00"}}"#
        ),
    );
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces.last().unwrap().cadre, Cadre::A19);
    assert_eq!(
        pieces.last().unwrap().status,
        WorksStatus::TransmiseServiceFinancier
    );
}

#[test]
fn works_actions_check_numbers_amounts_cadres_and_reasons() {
    let mut world = travaux();
    let dossier = world.works[0].id;
    let deposit = |cadre: &str, number: &str, amount: &str| {
        format!(
            r#"{{"type": "deposit_works_piece", "dossier_id": {dossier}, "cadre": "{cadre}", "number": "{number}", "amount_ht": "{amount}", "vat_rate": "10"}}"#
        )
    };
    assert_eq!(
        refused(&mut world, &deposit("A4", "PD-2025-03", "10.00")),
        ["number-duplicate"]
    );
    assert_eq!(
        refused(&mut world, &deposit("A4", "PD-9", "-1.00")),
        ["amount-invalid"]
    );
    assert_eq!(
        refused(&mut world, &deposit("A5", "PD-9", "10.00")),
        ["works-has-moe"]
    );
    assert_eq!(
        refused(&mut world, &deposit("A15", "PD-9", "10.00")),
        ["works-wrong-cadre"]
    );
    assert_eq!(
        refused(
            &mut world,
            r#"{"type": "switch_works_role", "dossier_id": 424242, "role": "moe"}"#
        ),
        ["works-dossier-unknown"]
    );
    switch(&mut world, "moe");
    let refuse_piece = |reason: &str| {
        format!(
            r#"{{"type": "refuse_works_piece", "dossier_id": {dossier}, "piece_id": 0, "reason": "{reason}"}}"#
        )
    };
    assert_eq!(
        refused(&mut world, &refuse_piece("Erreur de montant")),
        ["works-amount-error-not-a-reason"]
    );
    act(
        &mut world,
        &user(LEARNER),
        &refuse_piece("Travaux non conformes"),
    );
    assert_eq!(
        world.works[0].dossier.pieces[0].status,
        WorksStatus::RefuseeMoe
    );
}

#[test]
fn the_simulator_plays_the_moe_and_moa_the_learner_does_not_play() {
    let mut scenario = scenario("scenario-travaux");
    scenario.works[0].learner_roles = vec![WorksRole::Titulaire];
    let mut world = didact_sim::World::from_scenario(&scenario);
    let dossier = world.works[0].id;
    assert_eq!(
        refused(&mut world, &switch_role_action(dossier, "moe")),
        ["works-role-not-playable"]
    );
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_to_next_event"}"#,
    );
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[1].cadre, Cadre::A15);
    assert_eq!(pieces[1].number, "EA-PD-2025-03");
    assert_eq!(pieces[1].amount_ht, pieces[0].amount_ht);
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_to_next_event"}"#,
    );
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[2].cadre, Cadre::A19);
    assert_eq!(world.today().to_iso_string(), "2025-04-07");
}

#[test]
fn a_sollicitation_is_sent_answered_and_closed() {
    let mut world = factures();
    let form = r#"{"category": "Facture", "subcategory": "Facture rejetée ou suspendue", "structure_siret": "81452763600017",
"invoice_number": "FAC-2025-0031", "title": "Facture suspendue", "message": "Quelle pièce manque-t-il ?"}"#;
    assert_eq!(
        refused(
            &mut world,
            r#"{"type": "create_sollicitation", "form": {"category": "Facture"}}"#
        ),
        [
            "sollicitation-subcategory-required",
            "sollicitation-title-required",
            "sollicitation-message-required"
        ]
    );
    let outcome = act(
        &mut world,
        &user(LEARNER),
        &format!(r#"{{"type": "create_sollicitation", "form": {form}}}"#),
    );
    let Some(OutcomeData::Sollicitation {
        sollicitation_id,
        number,
    }) = outcome.data
    else {
        panic!("a sollicitation")
    };
    assert!(number.starts_with("SOL-"));
    assert_eq!(
        world.sollicitation(sollicitation_id).unwrap().status,
        SollicitationStatus::Envoyee
    );
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_days", "days": 2}"#,
    );
    let sollicitation = world.sollicitation(sollicitation_id).unwrap();
    assert_eq!(sollicitation.status, SollicitationStatus::Repondue);
    assert!(sollicitation.messages[1].text.contains("bon de livraison"));
    assert!(world
        .emails_for(LEARNER)
        .iter()
        .any(|m| m.kind == EmailKind::SollicitationAnswered { sollicitation_id }));
    let act_on = |event: &str| {
        format!(
            r#"{{"type": "act_on_sollicitation", "sollicitation_id": {sollicitation_id}, "event": "{event}"}}"#
        )
    };
    assert_eq!(
        refused(&mut world, &act_on("answer")),
        ["sollicitation-not-allowed"]
    );
    act(&mut world, &user(LEARNER), &act_on("close"));
    assert_eq!(
        world.sollicitation(sollicitation_id).unwrap().status,
        SollicitationStatus::Cloturee
    );
    assert_eq!(
        refuse(&mut world, &user(MARC), &act_on("close")),
        ["sollicitation-unknown"]
    );
}

#[test]
fn a_draft_sollicitation_is_sent_later_and_information_is_provided_on_request() {
    let mut world = factures();
    world.helpdesk.request_information_first = true;
    let outcome = act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "create_sollicitation", "draft": true, "form": {"category": "Structure", "subcategory": "Rattachement à une structure", "title": "Rattachement", "message": "Comment rattacher un collègue ?"}}"#,
    );
    let Some(OutcomeData::Sollicitation {
        sollicitation_id: id,
        ..
    }) = outcome.data
    else {
        panic!("a sollicitation")
    };
    assert_eq!(
        world.sollicitation(id).unwrap().status,
        SollicitationStatus::Brouillon
    );
    act(
        &mut world,
        &user(LEARNER),
        &format!(r#"{{"type": "send_sollicitation", "sollicitation_id": {id}}}"#),
    );
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_days", "days": 2}"#,
    );
    assert_eq!(
        world.sollicitation(id).unwrap().status,
        SollicitationStatus::ComplementDemande
    );
    let provide = format!(
        r#"{{"type": "act_on_sollicitation", "sollicitation_id": {id}, "event": "provide_information", "message": ""}}"#
    );
    assert_eq!(
        refused(&mut world, &provide),
        ["sollicitation-message-required"]
    );
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "act_on_sollicitation", "sollicitation_id": {id}, "event": "provide_information", "message": "Il s'agit de Luc Bernard."}}"#
        ),
    );
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_to_next_event"}"#,
    );
    assert_eq!(
        world.sollicitation(id).unwrap().status,
        SollicitationStatus::Repondue
    );
}
