//! The one place that calls `apply` for the tests, and the sample scenario (chorus-pro.md §9).

use didact_sim::world::EmailKind;
use didact_sim::{apply, check_scenario, Action, Outcome, Scenario, UserRef, World};

/// Learner of the sample scenario (Menuiserie Durand SARL).
pub const LEARNER: &str = "paul.durand@menuiserie-durand.fr";
pub const DURAND: &str = "81452763600017";
/// Papeterie du Centre SARL: an existing structure managed by Claire Petit.
pub const PAPETERIE: &str = "84260937200011";
pub const CLAIRE: &str = "claire.petit@papeterie-du-centre.fr";
pub const LUC: &str = "luc.bernard@papeterie-du-centre.fr";
pub const NINA: &str = "nina.roux@papeterie-du-centre.fr";
pub const PASSWORD: &str = "Chorus!2025";

pub const SCENARIO: &str = r#"{
  "title": "Menuiserie Durand et Papeterie du Centre",
  "start_date": "2025-03-03",
  "learner": {"first_name": "Paul", "last_name": "Durand", "email": "paul.durand@menuiserie-durand.fr", "siret": "81452763600017"},
  "register": [
    {"siret": "81452763600017", "raison_sociale": "Menuiserie Durand SARL", "address": {"street": "12 rue des Artisans", "postal_code": "33000", "city": "Bordeaux"}},
    {"siret": "84260937200011", "raison_sociale": "Papeterie du Centre SARL"},
    {"siret": "85173402000015", "raison_sociale": "Informatique Services Ouest SAS"},
    {"siret": "85173402000023", "raison_sociale": "Informatique Services Ouest SAS", "non_diffusible": true, "address": {"city": "Nantes"}},
    {"siret": "88034517800011", "raison_sociale": "Nettoyage Azur SAS", "active": false}
  ],
  "accounts": [
    {"email": "claire.petit@papeterie-du-centre.fr", "first_name": "Claire", "last_name": "Petit"},
    {"email": "luc.bernard@papeterie-du-centre.fr", "first_name": "Luc", "last_name": "Bernard"},
    {"email": "nina.roux@papeterie-du-centre.fr", "first_name": "Nina", "last_name": "Roux", "status": "pending_activation"}
  ],
  "structures": [
    {"siret": "84260937200011", "gestionnaire": "claire.petit@papeterie-du-centre.fr",
     "services": [{"code": "COMPTA", "name": "Comptabilité"}, {"code": "ANCIEN", "active": false}],
     "bank_accounts": [{"iban": "FR76 9999 9000 0200 0234 5670 202", "bic": "FICTFRP1", "holder": "Papeterie du Centre SARL"}]}
  ],
  "requests": [],
  "directory": [
    {"siret": "21990001600011", "name": "Commune de Saint-Exemple",
     "services": [{"code": "SERV-FIN", "name": "Service financier"}, {"code": "ECOLES", "active": false}],
     "settings": {"service_required": true}},
    {"siret": "26990002300012", "name": "Centre hospitalier de Val-Fictif", "settings": {"engagement_required": true}, "payment_days": 50}
  ]
}"#;

pub fn scenario() -> Scenario {
    let scenario: Scenario = serde_json::from_str(SCENARIO).expect("the sample scenario parses");
    assert_eq!(
        check_scenario(&scenario),
        vec![],
        "the sample scenario is clean"
    );
    scenario
}

pub fn world() -> World {
    World::from_scenario(&scenario())
}

pub fn user(email: &str) -> UserRef {
    UserRef::user(email)
}

/// Parses an action from JSON, as the browser sends it.
pub fn action(json: &str) -> Action {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bad action {json}: {e}"))
}

/// Applies an action that must succeed.
#[track_caller]
pub fn act(world: &mut World, actor: &UserRef, json: &str) -> Outcome {
    match apply(world, actor, action(json)) {
        Ok(outcome) => {
            assert!(!outcome.message.is_empty());
            outcome
        }
        Err(errors) => panic!("{json} was refused: {errors:#?}"),
    }
}

/// Applies an action that must be refused; checks the world is unchanged and every error
/// explains its rule; returns the error codes.
#[track_caller]
pub fn refuse(world: &mut World, actor: &UserRef, json: &str) -> Vec<&'static str> {
    let before = world.clone();
    match apply(world, actor, action(json)) {
        Ok(outcome) => panic!("{json} was accepted: {}", outcome.message),
        Err(errors) => {
            assert_eq!(
                *world, before,
                "a refused action leaves the world unchanged"
            );
            assert!(!errors.is_empty());
            for error in &errors {
                assert!(
                    !error.message.is_empty() && !error.rule.is_empty(),
                    "{error:?}"
                );
            }
            errors.iter().map(|e| e.code).collect()
        }
    }
}

/// Creates, activates and logs in the learner's account.
pub fn learner_logged_in(world: &mut World) {
    act(
        world,
        &UserRef::Anonymous,
        r#"{"type": "create_account", "login_email": "paul.durand@menuiserie-durand.fr", "last_name": "Durand", "first_name": "Paul", "accept_conditions": true}"#,
    );
    let token = last_activation_token(world, LEARNER);
    act(
        world,
        &UserRef::Anonymous,
        &format!(
            r#"{{"type": "activate_account", "token": "{token}", "password": "{PASSWORD}", "password_confirmation": "{PASSWORD}"}}"#
        ),
    );
    act(
        world,
        &UserRef::Anonymous,
        &format!(r#"{{"type": "login", "email": "{LEARNER}", "password": "{PASSWORD}"}}"#),
    );
}

/// The learner's own structure, created by him.
pub fn learner_with_structure(world: &mut World) {
    learner_logged_in(world);
    act(
        world,
        &user(LEARNER),
        &format!(r#"{{"type": "create_structure", "siret": "{DURAND}"}}"#),
    );
}

pub fn last_activation_token(world: &World, email: &str) -> String {
    world
        .emails_for(email)
        .iter()
        .rev()
        .find_map(|mail| match &mail.kind {
            EmailKind::Activation { token } => Some(token.clone()),
            _ => None,
        })
        .expect("an activation e-mail was sent")
}
