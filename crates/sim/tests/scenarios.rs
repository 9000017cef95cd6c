use didact_sim::world::{AccountStatus, Role};
use didact_sim::{check_scenario, Scenario, World};

use crate::support::*;

#[track_caller]
fn check(json: &str, expected: &[(&str, &str)]) {
    let scenario: Scenario = serde_json::from_str(json).unwrap();
    let problems = check_scenario(&scenario);
    let got: Vec<(&str, &str)> = problems.iter().map(|p| (p.code, p.path.as_str())).collect();
    assert_eq!(got, expected, "{problems:#?}");
    for problem in &problems {
        assert!(!problem.message.is_empty());
        assert!(!problem.message.ends_with('.'));
    }
}

#[test]
fn minimal_scenario_is_clean() {
    check(
        r#"{"learner": {"first_name": "Paul", "last_name": "Durand", "email": "paul@durand.fr", "siret": "81452763600017"},
            "register": [{"siret": "81452763600017", "raison_sociale": "Menuiserie Durand SARL"}]}"#,
        &[],
    );
}

#[test]
fn invalid_identifiers_are_reported_with_their_path() {
    check(
        r#"{"start_date": "2025-02-30",
            "learner": {"first_name": "Paul", "last_name": "Durand", "email": "paul@", "siret": "81452763600018"},
            "register": [
              {"siret": "81452763600017", "raison_sociale": "A"},
              {"siret": "8145276360001", "raison_sociale": "B"},
              {"siret": "81452763600017", "raison_sociale": "C"}
            ],
            "accounts": [{"email": "claire@papeterie.fr", "first_name": "C", "last_name": "P"}],
            "structures": [{"siret": "81452763600017", "gestionnaire": "claire@papeterie.fr",
               "services": [{"code": "SERV/01"}],
               "bank_accounts": [{"iban": "FR76 9999 9000 0100 0123 4560 147", "bic": "BNPAFRPPXX", "holder": "X"}]}],
            "directory": [{"siret": "21990001600012", "name": "Commune"}]}"#,
        &[
            ("scenario-invalid-date", "start_date"),
            ("scenario-invalid-email", "learner.email"),
            ("scenario-invalid-siret", "learner.siret"),
            ("scenario-invalid-siret", "register[1].siret"),
            ("scenario-duplicate-siret", "register[2].siret"),
            (
                "scenario-invalid-code-service",
                "structures[0].services[0].code",
            ),
            (
                "scenario-invalid-iban",
                "structures[0].bank_accounts[0].iban",
            ),
            ("scenario-invalid-bic", "structures[0].bank_accounts[0].bic"),
            ("scenario-invalid-siret", "directory[0].siret"),
        ],
    );
}

#[test]
fn references_to_absent_accounts_structures_and_services_are_reported() {
    check(
        r#"{"learner": {"first_name": "Paul", "last_name": "Durand", "email": "paul@durand.fr", "siret": "81452763600017"},
            "register": [{"siret": "84260937200011", "raison_sociale": "Papeterie"}],
            "accounts": [
              {"email": "claire@papeterie.fr", "first_name": "C", "last_name": "P"},
              {"email": "Claire@papeterie.fr", "first_name": "C", "last_name": "P"},
              {"email": "nina@papeterie.fr", "first_name": "N", "last_name": "R", "status": "pending_activation"}
            ],
            "structures": [
              {"siret": "84260937200011", "gestionnaire": "absent@papeterie.fr",
               "services": [{"code": "COMPTA"}, {"code": "COMPTA"}],
               "users": [{"email": "nina@papeterie.fr", "services": ["ACHATS"]}]},
              {"siret": "85173402000015", "gestionnaire": "claire@papeterie.fr"},
              {"siret": "84260937200011", "gestionnaire": "claire@papeterie.fr"}
            ],
            "requests": [{"email": "luc@papeterie.fr", "siret": "22990004800013", "services": []},
                         {"email": "claire@papeterie.fr", "siret": "84260937200011", "services": ["NOPE"]}],
            "logged_in": "nina@papeterie.fr"}"#,
        &[
            ("scenario-learner-siret-not-in-register", "learner.siret"),
            ("scenario-duplicate-account", "accounts[1].email"),
            ("scenario-unknown-account", "structures[0].gestionnaire"),
            (
                "scenario-duplicate-service",
                "structures[0].services[1].code",
            ),
            ("scenario-inactive-account", "structures[0].users[0].email"),
            (
                "scenario-unknown-service",
                "structures[0].users[0].services[0]",
            ),
            ("scenario-structure-not-in-register", "structures[1].siret"),
            ("scenario-duplicate-structure", "structures[2].siret"),
            ("scenario-unknown-account", "requests[0].email"),
            ("scenario-unknown-structure", "requests[0].siret"),
            ("scenario-unknown-service", "requests[1].services[0]"),
            ("scenario-unknown-account", "logged_in"),
        ],
    );
}

#[test]
fn unknown_scenario_keys_are_errors() {
    let error = serde_json::from_str::<Scenario>(
        r#"{"learner": {"first_name": "P", "last_name": "D", "email": "p@d.fr", "siret": "81452763600017"}, "registre": []}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("registre"), "{error}");
}

#[test]
fn world_from_scenario_has_accounts_structures_and_directory() {
    let world = world();
    assert_eq!(world.start_date, "2025-03-03");
    assert_eq!(world.clock, 0);
    assert_eq!(world.account(CLAIRE).unwrap().status, AccountStatus::Active);
    assert_eq!(
        world.account(CLAIRE).unwrap().password.as_deref(),
        Some(PASSWORD)
    );
    assert_eq!(
        world.account(NINA).unwrap().status,
        AccountStatus::PendingActivation
    );
    assert_eq!(
        world.role(PAPETERIE, CLAIRE),
        Some(Role::GestionnairePrincipal)
    );
    let papeterie = world.structure(PAPETERIE).unwrap();
    assert_eq!(papeterie.raison_sociale, "Papeterie du Centre SARL");
    assert_eq!(
        papeterie.bank_accounts[0].iban,
        "FR7699999000020002345670202"
    );
    let commune = world.public_structure("21990001600011").unwrap();
    assert!(commune.settings.service_required);
    assert_eq!(commune.payment_days, 30);
    assert!(!commune.services[1].active);
    assert_eq!(
        world
            .public_structure("26990002300012")
            .unwrap()
            .payment_days,
        50
    );
    assert_eq!(world.current_user, None);
}

#[test]
fn scenario_requests_and_login_are_restored() {
    let mut scenario = scenario();
    scenario.requests = serde_json::from_str(
        r#"[{"email": "luc.bernard@papeterie-du-centre.fr", "siret": "84260937200011", "services": ["COMPTA"]}]"#,
    )
    .unwrap();
    scenario.logged_in = Some(CLAIRE.to_owned());
    assert_eq!(check_scenario(&scenario), vec![]);
    let mut world = World::from_scenario(&scenario);
    assert_eq!(world.current_user.as_deref(), Some(CLAIRE));
    let pending = world.pending_requests_for(CLAIRE);
    assert_eq!(pending.len(), 1);
    let id = pending[0].id;
    didact_sim::apply_as_current(
        &mut world,
        didact_sim::Action::ValidateRattachement { request_id: id },
    )
    .unwrap();
    assert_eq!(world.role(PAPETERIE, LUC), Some(Role::Utilisateur));
}

#[test]
fn world_survives_a_json_round_trip() {
    let mut world = world();
    learner_with_structure(&mut world);
    act(
        &mut world,
        &user(LEARNER),
        &format!(r#"{{"type": "request_rattachement", "siret": "{PAPETERIE}"}}"#),
    );
    let json = serde_json::to_string(&world).unwrap();
    let restored: World = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, world);
    assert!(json.contains(r#""version":2"#));
}
