use didact_sim::{check_exercise, evaluate, Exercise, Goal};

use crate::support::*;

const EXERCISE: &str = r#"{
  "id": "ex-compte-structure",
  "scenario": "scenarios/menuiserie.yaml",
  "title": "Créer votre compte et votre structure",
  "objective": "comptes",
  "instructions": "Créez votre compte, activez-le puis créez la structure **Menuiserie Durand SARL**.",
  "goals": [
    {"account_created": {"email": "paul.durand@menuiserie-durand.fr"}},
    {"account_active": {"email": "paul.durand@menuiserie-durand.fr"}},
    {"structure_exists": {"siret": "81452763600017"}},
    {"gestionnaire_principal": {"siret": "81452763600017", "email": "paul.durand@menuiserie-durand.fr"}},
    {"service_active": {"siret": "81452763600017", "code": "ATELIER"}},
    {"user_in_service": {"email": "paul.durand@menuiserie-durand.fr", "siret": "81452763600017", "code": "ATELIER"}},
    {"espace_access": {"email": "paul.durand@menuiserie-durand.fr", "siret": "81452763600017", "espace": "factures_emises", "level": "modification"}},
    {"bank_account": {"siret": "81452763600017", "iban": "FR76 9999 8000 1000 0987 6540 166", "affactureur": true}},
    {"rattachement_validated": {"email": "paul.durand@menuiserie-durand.fr", "siret": "84260937200011"}}
  ],
  "hints": ["Le lien d’activation arrive dans la messagerie simulée."]
}"#;

fn exercise() -> Exercise {
    serde_json::from_str(EXERCISE).unwrap()
}

#[test]
fn sample_exercise_is_clean() {
    assert_eq!(check_exercise(&exercise(), &scenario()), vec![]);
}

#[test]
fn goals_are_ticked_as_the_learner_progresses() {
    let exercise = exercise();
    let mut world = world();
    assert_eq!(evaluate(&world, &exercise.goals), [false; 9]);
    learner_with_structure(&mut world);
    assert_eq!(
        evaluate(&world, &exercise.goals),
        [true, true, true, true, false, false, true, false, false]
    );
    let me = user(LEARNER);
    act(
        &mut world,
        &me,
        &format!(r#"{{"type": "create_service", "siret": "{DURAND}", "code": "ATELIER"}}"#),
    );
    act(
        &mut world,
        &me,
        &format!(
            r#"{{"type": "attach_user_to_service", "siret": "{DURAND}", "code": "ATELIER", "email": "{LEARNER}"}}"#
        ),
    );
    act(
        &mut world,
        &me,
        &format!(
            r#"{{"type": "add_bank_account", "siret": "{DURAND}", "iban": "FR7699998000100009876540166", "bic": "FACTFRP2XXX", "holder": "Factor Exemple SA", "affactureur": true}}"#
        ),
    );
    act(
        &mut world,
        &me,
        &format!(r#"{{"type": "request_rattachement", "siret": "{PAPETERIE}"}}"#),
    );
    let id = world.requests[0].id;
    act(
        &mut world,
        &user(CLAIRE),
        &format!(r#"{{"type": "validate_rattachement", "request_id": {id}}}"#),
    );
    assert_eq!(evaluate(&world, &exercise.goals), [true; 9]);
}

#[test]
fn other_goals() {
    let mut world = world();
    let goals: Vec<Goal> = serde_json::from_str::<Exercise>(&format!(
        r#"{{"id": "x", "scenario": "s.yaml", "title": "t", "goals": [
            {{"service_inactive": {{"siret": "{PAPETERIE}", "code": "ANCIEN"}}}},
            {{"service_exists": {{"siret": "{PAPETERIE}", "code": "COMPTA"}}}},
            {{"no_espace_access": {{"email": "{CLAIRE}", "siret": "{PAPETERIE}", "espace": "factures_de_travaux"}}}},
            {{"espace_access": {{"email": "{CLAIRE}", "siret": "{PAPETERIE}", "espace": "factures_emises"}}}},
            {{"bank_account": {{"siret": "{PAPETERIE}", "iban": "FR7699999000020002345670202", "affactureur": true}}}},
            {{"logged_in": {{"email": "{CLAIRE}"}}}},
            {{"rattachement_refused": {{"email": "{LEARNER}", "siret": "{PAPETERIE}"}}}},
            {{"user_attached": {{"email": "{LUC}", "siret": "{PAPETERIE}"}}}}
        ]}}"#
    ))
    .unwrap()
    .goals;
    assert_eq!(
        evaluate(&world, &goals),
        [true, true, true, true, false, false, false, false]
    );
    act(
        &mut world,
        &didact_sim::UserRef::Anonymous,
        &format!(r#"{{"type": "login", "email": "{CLAIRE}", "password": "{PASSWORD}"}}"#),
    );
    assert!(goals[5].is_met(&world));
    for goal in &goals {
        assert!(goal.label().ends_with('.'));
    }
}

#[test]
fn goals_naming_absent_users_or_structures_are_reported() {
    let exercise: Exercise = serde_json::from_str(
        r#"{"id": "ex", "scenario": "scenarios/menuiserie.yaml", "title": "t", "goals": [
            {"account_active": {"email": "inconnu@example.fr"}},
            {"structure_exists": {"siret": "22990004800013"}},
            {"service_active": {"siret": "81452763600017", "code": "SERV/01"}},
            {"bank_account": {"siret": "81452763600017", "iban": "FR76 9999 9000 0100 0123 4560 147"}},
            {"gestionnaire_principal": {"siret": "88034517800011", "email": "claire.petit@papeterie-du-centre.fr"}}
        ]}"#,
    )
    .unwrap();
    let problems = check_exercise(&exercise, &scenario());
    let got: Vec<(&str, &str)> = problems.iter().map(|p| (p.code, p.path.as_str())).collect();
    assert_eq!(
        got,
        [
            ("exercise-unknown-user", "goals[0].email"),
            ("exercise-unknown-structure", "goals[1].siret"),
            ("exercise-invalid-code-service", "goals[2].code"),
            ("exercise-invalid-iban", "goals[3].iban"),
            ("exercise-unknown-structure", "goals[4].siret"),
        ]
    );
}

#[test]
fn exercise_without_goals_is_reported() {
    let exercise: Exercise =
        serde_json::from_str(r#"{"id": "ex", "scenario": "s.yaml", "title": "t", "goals": []}"#)
            .unwrap();
    let problems = check_exercise(&exercise, &scenario());
    assert_eq!(problems[0].code, "exercise-no-goals");
}

#[test]
fn unknown_exercise_keys_and_goal_kinds_are_errors() {
    let error = serde_json::from_str::<Exercise>(
        r#"{"id": "ex", "scenario": "s.yaml", "title": "t", "goals": [], "objectif": "x"}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("objectif"), "{error}");
    let error = serde_json::from_str::<Exercise>(
        r#"{"id": "ex", "scenario": "s.yaml", "title": "t", "goals": [{"account_activ": {"email": "a@b.fr"}}]}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("account_activ"), "{error}");
    let error = serde_json::from_str::<Exercise>(
        r#"{"id": "ex", "scenario": "s.yaml", "title": "t", "goals": [{"account_active": {"mail": "a@b.fr"}}]}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("mail"), "{error}");
}

#[test]
fn exercise_survives_a_json_round_trip() {
    let exercise = exercise();
    let json = serde_json::to_string(&exercise).unwrap();
    assert_eq!(serde_json::from_str::<Exercise>(&json).unwrap(), exercise);
}
