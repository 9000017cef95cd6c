//! The end of a works contract (A7 → A17 → A20 → A8) and the tacit route (A22 → A23), through
//! `apply` and the clock, with the scenarios and exercises of FORMAT.md.

use didact_sim::invoice::{Cadre, WorksStatus};
use didact_sim::records::WorksRole;
use didact_sim::{check_exercise, evaluate, Exercise, Scenario, World};

use crate::invoice_support::{example, piece, refused, scenario, switch};
use crate::support::{act, user, LEARNER};

fn exercise(name: &str, scenario_name: &str) -> (Exercise, Scenario) {
    let exercise: Exercise = serde_yaml::from_str(example(name))
        .unwrap_or_else(|e| panic!("exercise {name} parses: {e}"));
    let scenario = scenario(scenario_name);
    assert_eq!(
        check_exercise(&exercise, &scenario),
        vec![],
        "exercise {name} is clean"
    );
    (exercise, scenario)
}

fn fin_de_marche() -> (Exercise, World) {
    let (exercise, scenario) = exercise("exercise-fin-de-marche", "scenario-fin-de-marche");
    (exercise, World::from_scenario(&scenario))
}

fn tacite() -> (Exercise, World) {
    let (exercise, scenario) = exercise(
        "exercise-fin-de-marche-tacite",
        "scenario-fin-de-marche-tacite",
    );
    (exercise, World::from_scenario(&scenario))
}

/// Applies the action as the learner and returns the id of the piece it created or changed.
fn deposit_final(world: &mut World, amount: &str) -> usize {
    let dossier = world.works[0].id;
    piece(
        world,
        &format!(
            r#"{{"type": "deposit_works_piece", "dossier_id": {dossier}, "cadre": "A7", "number": "DF-2025-01", "amount_ht": "{amount}", "vat_rate": "10"}}"#
        ),
    )
}

fn projet_general(dossier: u64, final_id: usize, number: &str, amount: &str) -> String {
    format!(
        r#"{{"type": "create_projet_decompte_general", "dossier_id": {dossier}, "final_id": {final_id}, "number": "{number}", "amount_ht": "{amount}"}}"#
    )
}

fn notify(dossier: u64, projet_id: usize, number: &str) -> String {
    format!(
        r#"{{"type": "notify_decompte_general", "dossier_id": {dossier}, "projet_id": {projet_id}, "number": "{number}", "amount_ht": "98450.00"}}"#
    )
}

fn sign(dossier: u64, decompte_id: usize, reserves: &str) -> String {
    sign_as(dossier, decompte_id, "DGD-01", reserves)
}

fn sign_as(dossier: u64, decompte_id: usize, number: &str, reserves: &str) -> String {
    format!(
        r#"{{"type": "sign_decompte_general", "dossier_id": {dossier}, "decompte_id": {decompte_id}, "number": "{number}", "reserves": "{reserves}"}}"#
    )
}

fn refuse_decompte(dossier: u64, decompte_id: usize, reason: &str) -> String {
    format!(
        r#"{{"type": "refuse_decompte_general", "dossier_id": {dossier}, "decompte_id": {decompte_id}, "reason": "{reason}"}}"#
    )
}

fn send_tacite(dossier: u64, final_id: usize, number: &str) -> String {
    format!(
        r#"{{"type": "send_projet_decompte_tacite", "dossier_id": {dossier}, "final_id": {final_id}, "number": "{number}", "amount_ht": "98450.00"}}"#
    )
}

fn dgd_tacite(dossier: u64, projet_id: usize, number: &str) -> String {
    format!(
        r#"{{"type": "deposit_dgd_tacite", "dossier_id": {dossier}, "projet_id": {projet_id}, "number": "{number}"}}"#
    )
}

fn advance(world: &mut World, days: u32) {
    act(
        world,
        &user(LEARNER),
        &format!(r#"{{"type": "advance_days", "days": {days}}}"#),
    );
}

fn status(world: &World, piece: usize) -> WorksStatus {
    world.works[0].dossier.pieces[piece].status
}

/// Plays the chain up to the décompte général waiting for the titulaire; returns the A20's id.
fn decompte_notified(world: &mut World) -> usize {
    let d = world.works[0].id;
    let final_id = deposit_final(world, "98450.00");
    switch(world, "moe");
    let projet = piece(world, &projet_general(d, final_id, "PDG-01", "98450.00"));
    switch(world, "moa");
    let decompte = piece(world, &notify(d, projet, "DG-01"));
    switch(world, "titulaire");
    decompte
}

#[test]
fn the_end_of_contract_exercise_is_completed_step_by_step() {
    let (exercise, mut world) = fin_de_marche();
    let d = world.works[0].id;
    assert_eq!(evaluate(&world, &exercise.goals), [false; 4]);
    let final_id = deposit_final(&mut world, "98450.00");
    assert_eq!(status(&world, final_id), WorksStatus::MiseADispositionMoe);
    assert_eq!(
        evaluate(&world, &exercise.goals),
        [true, false, false, false]
    );

    // The MOE's step is not the titulaire's.
    let a17 = projet_general(d, final_id, "PDG-01", "98450.00");
    assert_eq!(refused(&mut world, &a17), ["works-wrong-role"]);
    switch(&mut world, "moe");
    let projet = piece(&mut world, &a17);
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[projet].cadre, Cadre::A17);
    assert_eq!(pieces[projet].associated_to, Some(final_id));
    assert_eq!(pieces[projet].status, WorksStatus::MiseADispositionMoa);
    assert_eq!(status(&world, final_id), WorksStatus::PriseEnCompteMoe);
    assert_eq!(
        evaluate(&world, &exercise.goals),
        [true, true, false, false]
    );

    switch(&mut world, "moa");
    let outcome = act(&mut world, &user(LEARNER), &notify(d, projet, "DG-01"));
    assert!(
        outcome.message.contains("01/10/2025"),
        "the titulaire's deadline: {}",
        outcome.message
    );
    let decompte = world.works[0].dossier.pieces.len() - 1;
    assert_eq!(
        status(&world, decompte),
        WorksStatus::MiseADispositionTitulaire
    );
    assert_eq!(status(&world, projet), WorksStatus::PriseEnCompteMoa);
    assert_eq!(evaluate(&world, &exercise.goals), [true, true, true, false]);

    switch(&mut world, "titulaire");
    let dgd = piece(
        &mut world,
        &sign(d, decompte, "Travaux supplémentaires non repris"),
    );
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[dgd].cadre, Cadre::A8);
    assert_eq!(pieces[dgd].status, WorksStatus::TransmiseServiceFinancier);
    assert_eq!(pieces[dgd].amount_ht, pieces[decompte].amount_ht);
    assert_eq!(
        pieces[dgd].reserves.as_deref(),
        Some("Travaux supplémentaires non repris")
    );
    assert_eq!(status(&world, decompte), WorksStatus::SigneTitulaire);
    assert_eq!(evaluate(&world, &exercise.goals), [true; 4]);
    // Signed once only.
    assert_eq!(
        refused(&mut world, &sign_as(d, decompte, "DGD-02", "")),
        ["works-wrong-status"]
    );
}

#[test]
fn signing_without_reserves_does_not_meet_a_goal_asking_for_reserves() {
    let (exercise, mut world) = fin_de_marche();
    let d = world.works[0].id;
    let decompte = decompte_notified(&mut world);
    act(&mut world, &user(LEARNER), &sign(d, decompte, "  "));
    assert_eq!(world.works[0].dossier.pieces.last().unwrap().reserves, None);
    assert_eq!(evaluate(&world, &exercise.goals), [true, true, true, false]);
}

#[test]
fn the_titulaire_refuses_the_decompte_general_with_a_reason() {
    let (_, mut world) = fin_de_marche();
    let d = world.works[0].id;
    let decompte = decompte_notified(&mut world);
    assert_eq!(
        refused(&mut world, &refuse_decompte(d, decompte, " ")),
        ["works-reason-required"]
    );
    act(
        &mut world,
        &user(LEARNER),
        &refuse_decompte(d, decompte, "Pénalités de retard contestées"),
    );
    let refused_piece = &world.works[0].dossier.pieces[decompte];
    assert_eq!(refused_piece.status, WorksStatus::RefuseTitulaire);
    assert_eq!(
        refused_piece.refusal_reason.as_deref(),
        Some("Pénalités de retard contestées")
    );
    assert!(world.works[0]
        .dossier
        .pieces
        .iter()
        .all(|p| p.cadre != Cadre::A8));
    let goal: didact_sim::Goal =
        serde_json::from_str(r#"{"decompte_general_refused": {"final_number": "DF-2025-01"}}"#)
            .unwrap();
    assert!(goal.is_met(&world));
    assert_eq!(
        refused(&mut world, &sign(d, decompte, "")),
        ["works-wrong-status"]
    );
}

#[test]
fn the_titulaire_has_thirty_days_to_answer_the_decompte_general() {
    let (_, mut world) = fin_de_marche();
    let d = world.works[0].id;
    let decompte = decompte_notified(&mut world);
    advance(&mut world, 30);
    let mut on_time = world.clone();
    act(&mut on_time, &user(LEARNER), &sign(d, decompte, ""));
    advance(&mut world, 1);
    assert_eq!(
        refused(&mut world, &sign(d, decompte, "")),
        ["works-deadline-passed"]
    );
    assert_eq!(
        refused(&mut world, &refuse_decompte(d, decompte, "Trop tard")),
        ["works-deadline-passed"]
    );
}

#[test]
fn each_end_of_contract_step_belongs_to_one_actor_and_one_cadre() {
    let (_, mut world) = fin_de_marche();
    let d = world.works[0].id;
    let dossier = world.works[0].id;
    let final_id = deposit_final(&mut world, "98450.00");
    // The titulaire cannot notify the décompte général, nor sign a piece that is not an A20.
    assert_eq!(
        refused(&mut world, &notify(d, final_id, "DG-01")),
        ["works-wrong-role"]
    );
    assert_eq!(
        refused(&mut world, &sign(d, final_id, "")),
        ["works-wrong-status"]
    );
    // A monthly état d'acompte cannot be made from a projet de décompte final…
    switch(&mut world, "moe");
    assert_eq!(
        refused(
            &mut world,
            &format!(
                r#"{{"type": "create_etat_acompte", "dossier_id": {dossier}, "projet_id": {final_id}, "number": "EA-1", "amount_ht": "1.00"}}"#
            )
        ),
        ["works-wrong-cadre"]
    );
    assert_eq!(
        refused(
            &mut world,
            &projet_general(d, final_id, "DF-2025-01", "1.00")
        ),
        ["number-duplicate"]
    );
    let projet = piece(
        &mut world,
        &projet_general(d, final_id, "PDG-01", "97000.00"),
    );
    assert!(world.works[0].dossier.pieces[projet].amount_corrected);
    // … nor an état d'acompte validé from a projet de décompte général.
    switch(&mut world, "moa");
    assert_eq!(
        refused(
            &mut world,
            &format!(
                r#"{{"type": "validate_etat_acompte", "dossier_id": {dossier}, "etat_id": {projet}, "number": "EAV-1", "amount_ht": "1.00"}}"#
            )
        ),
        ["works-wrong-cadre"]
    );
    // The MOA notifies from the A17, not from the A7.
    assert_eq!(
        refused(&mut world, &notify(d, final_id, "DG-01")),
        ["works-wrong-status"]
    );
    assert_eq!(
        refused(&mut world, &send_tacite(d, final_id, "PT-01")),
        ["works-wrong-role"]
    );
}

#[test]
fn the_simulator_plays_the_moe_and_the_moa_at_the_end_of_the_contract() {
    let mut scenario = scenario("scenario-fin-de-marche");
    scenario.works[0].learner_roles = vec![WorksRole::Titulaire];
    let mut world = World::from_scenario(&scenario);
    let d = world.works[0].id;
    let final_id = deposit_final(&mut world, "98450.00");
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_to_next_event"}"#,
    );
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[1].cadre, Cadre::A17);
    assert_eq!(pieces[1].number, "PDG-DF-2025-01");
    assert_eq!(pieces[1].associated_to, Some(final_id));
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_to_next_event"}"#,
    );
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[2].cadre, Cadre::A20);
    assert_eq!(pieces[2].status, WorksStatus::MiseADispositionTitulaire);
    assert_eq!(world.today().to_iso_string(), "2025-09-07");
    piece(&mut world, &sign(d, 2, ""));
    assert_eq!(
        world.works[0].dossier.pieces[3].status,
        WorksStatus::TransmiseServiceFinancier
    );
}

#[test]
fn the_tacit_exercise_is_completed_after_ten_days_without_answer() {
    let (exercise, mut world) = tacite();
    let d = world.works[0].id;
    assert_eq!(evaluate(&world, &exercise.goals), [false, false]);
    // The simulated MOE deposits its A17 after 3 days; the silent MOA never answers it.
    advance(&mut world, 5);
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[1].cadre, Cadre::A17);
    assert_eq!(pieces[1].status, WorksStatus::MiseADispositionMoa);

    let outcome = act(&mut world, &user(LEARNER), &send_tacite(d, 0, "PT-01"));
    assert!(
        outcome.message.contains("16/09/2025"),
        "the tacit date: {}",
        outcome.message
    );
    let projet = world.works[0].dossier.pieces.len() - 1;
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[projet].cadre, Cadre::A22);
    assert_eq!(pieces[projet].associated_to, Some(0));
    assert_eq!(pieces[1].status, WorksStatus::RemplaceeParA22);
    assert_eq!(evaluate(&world, &exercise.goals), [true, false]);
    assert_eq!(
        refused(&mut world, &send_tacite(d, 0, "PT-02")),
        ["works-already-done"]
    );

    // A23 before the 10 days is refused.
    assert_eq!(
        refused(&mut world, &dgd_tacite(d, projet, "DGDT-01")),
        ["works-moa-still-has-time"]
    );
    advance(&mut world, 9);
    assert_eq!(status(&world, projet), WorksStatus::MiseADispositionMoa);
    assert_eq!(
        refused(&mut world, &dgd_tacite(d, projet, "DGDT-01")),
        ["works-moa-still-has-time"]
    );
    // The clock makes it tacit on the tenth day.
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_to_next_event"}"#,
    );
    assert_eq!(world.today().to_iso_string(), "2025-09-16");
    assert_eq!(status(&world, projet), WorksStatus::DgdTacite);

    let dgd = piece(&mut world, &dgd_tacite(d, projet, "DGDT-01"));
    let pieces = &world.works[0].dossier.pieces;
    assert_eq!(pieces[dgd].cadre, Cadre::A23);
    assert_eq!(pieces[dgd].status, WorksStatus::TransmiseServiceFinancier);
    assert_eq!(pieces[dgd].amount_ht, pieces[projet].amount_ht);
    assert_eq!(evaluate(&world, &exercise.goals), [true, true]);
    assert_eq!(
        refused(&mut world, &dgd_tacite(d, projet, "DGDT-02")),
        ["works-already-done"]
    );
}

#[test]
fn the_moa_may_answer_an_a22_within_ten_days_only() {
    let (_, mut world) = fin_de_marche();
    let d = world.works[0].id;
    let final_id = deposit_final(&mut world, "98450.00");
    let projet = piece(&mut world, &send_tacite(d, final_id, "PT-01"));
    assert_eq!(status(&world, final_id), WorksStatus::RemplaceeParA22);
    let mut answered = world.clone();
    switch(&mut answered, "moa");
    advance(&mut answered, 9);
    let decompte = piece(&mut answered, &notify(d, projet, "DG-01"));
    assert_eq!(
        answered.works[0].dossier.pieces[decompte].status,
        WorksStatus::MiseADispositionTitulaire
    );
    // No tacit DGD once the MOA has answered.
    switch(&mut answered, "titulaire");
    assert_eq!(
        refused(&mut answered, &dgd_tacite(d, projet, "DGDT-01")),
        ["works-wrong-status"]
    );

    switch(&mut world, "moa");
    advance(&mut world, 10);
    assert_eq!(
        refused(&mut world, &notify(d, projet, "DG-01")),
        ["works-wrong-status"]
    );
}

#[test]
fn no_tacit_route_without_a_projet_de_decompte_final() {
    let (_, mut world) = tacite();
    let d = world.works[0].id;
    let dossier = world.works[0].id;
    let monthly = piece(
        &mut world,
        &format!(
            r#"{{"type": "deposit_works_piece", "dossier_id": {dossier}, "cadre": "A4", "number": "PD-01", "amount_ht": "10.00", "vat_rate": "10"}}"#
        ),
    );
    assert_eq!(
        refused(&mut world, &send_tacite(d, monthly, "PT-01")),
        ["works-wrong-cadre"]
    );
    assert_eq!(
        refused(&mut world, &dgd_tacite(d, 0, "DGDT-01")),
        ["works-wrong-cadre"]
    );
}

#[test]
fn check_exercise_reports_unreachable_end_of_contract_goals() {
    let silent = scenario("scenario-fin-de-marche-tacite");
    let exercise: Exercise = serde_yaml::from_str(
        r#"
id: ex
scenario: s.yaml
title: t
goals:
  - dgd_signed: { final_number: "DF-2025-01" }
  - dgd_tacite: { final_number: "DF-2025-01" }
"#,
    )
    .unwrap();
    let codes: Vec<_> = check_exercise(&exercise, &silent)
        .into_iter()
        .map(|p| (p.code, p.path))
        .collect();
    assert_eq!(codes, [("exercise-moa-silent", "goals[0]".to_owned())]);

    let mut moe_only = scenario("scenario-fin-de-marche");
    moe_only.works[0].learner_roles = vec![WorksRole::Moe];
    let codes: Vec<_> = check_exercise(&exercise, &moe_only)
        .into_iter()
        .map(|p| p.code)
        .collect();
    assert_eq!(codes, ["exercise-unknown-piece", "exercise-unknown-piece"]);
}
