//! Only the gestionnaire principal modifies the structure (chorus-pro.md §5.4).

use didact_sim::{UserRef, World};

use crate::support::*;

/// Papeterie du Centre with Luc attached as a simple user (service COMPTA) and a pending
/// request from the learner.
fn world_with_simple_user() -> (World, u64) {
    let mut world = world();
    act(
        &mut world,
        &user(CLAIRE),
        &format!(r#"{{"type": "attach_user", "siret": "{PAPETERIE}", "email": "{LUC}"}}"#),
    );
    act(
        &mut world,
        &user(CLAIRE),
        &format!(
            r#"{{"type": "attach_user_to_service", "siret": "{PAPETERIE}", "code": "COMPTA", "email": "{LUC}"}}"#
        ),
    );
    learner_logged_in(&mut world);
    act(
        &mut world,
        &user(LEARNER),
        &format!(r#"{{"type": "request_rattachement", "siret": "{PAPETERIE}"}}"#),
    );
    let request_id = world.requests[0].id;
    (world, request_id)
}

fn manager_actions(request_id: u64) -> Vec<String> {
    let s = PAPETERIE;
    vec![
        format!(r#"{{"type": "update_structure", "siret": "{s}", "raison_sociale": "Autre"}}"#),
        format!(r#"{{"type": "validate_rattachement", "request_id": {request_id}}}"#),
        format!(r#"{{"type": "refuse_rattachement", "request_id": {request_id}}}"#),
        format!(r#"{{"type": "attach_user", "siret": "{s}", "email": "{LEARNER}"}}"#),
        format!(r#"{{"type": "detach_user", "siret": "{s}", "email": "{LUC}"}}"#),
        format!(
            r#"{{"type": "transfer_gestionnaire_principal", "siret": "{s}", "email": "{LUC}"}}"#
        ),
        format!(r#"{{"type": "create_service", "siret": "{s}", "code": "ACHATS"}}"#),
        format!(
            r#"{{"type": "set_service_active", "siret": "{s}", "code": "COMPTA", "active": false}}"#
        ),
        format!(
            r#"{{"type": "attach_user_to_service", "siret": "{s}", "code": "COMPTA", "email": "{CLAIRE}"}}"#
        ),
        format!(
            r#"{{"type": "detach_user_from_service", "siret": "{s}", "code": "COMPTA", "email": "{LUC}"}}"#
        ),
        format!(
            r#"{{"type": "add_bank_account", "siret": "{s}", "iban": "FR7699999000010001234560146", "bic": "FICTFRP1", "holder": "X"}}"#
        ),
        format!(
            r#"{{"type": "remove_bank_account", "siret": "{s}", "iban": "FR7699999000020002345670202"}}"#
        ),
    ]
}

#[test]
fn simple_user_cannot_modify_the_structure() {
    let (mut world, request_id) = world_with_simple_user();
    for json in manager_actions(request_id) {
        assert_eq!(
            refuse(&mut world, &user(LUC), &json),
            ["not-gestionnaire"],
            "{json}"
        );
    }
}

#[test]
fn user_not_attached_cannot_act_on_the_structure() {
    let (mut world, request_id) = world_with_simple_user();
    for json in manager_actions(request_id) {
        assert_eq!(
            refuse(&mut world, &user(LEARNER), &json),
            ["not-attached"],
            "{json}"
        );
    }
}

#[test]
fn nobody_logged_in_cannot_act_on_the_structure() {
    let (mut world, request_id) = world_with_simple_user();
    for json in manager_actions(request_id) {
        assert_eq!(
            refuse(&mut world, &UserRef::Anonymous, &json),
            ["not-logged-in"],
            "{json}"
        );
    }
    // An account that is not activated does not count as logged in.
    for json in manager_actions(request_id) {
        assert_eq!(
            refuse(&mut world, &user(NINA), &json),
            ["not-logged-in"],
            "{json}"
        );
    }
}

#[test]
fn gestionnaire_can_do_all_of_it() {
    let (world, request_id) = world_with_simple_user();
    for json in manager_actions(request_id) {
        let mut copy = world.clone();
        act(&mut copy, &user(CLAIRE), &json);
    }
}

#[test]
fn simple_user_cannot_change_another_users_espaces() {
    let (mut world, _) = world_with_simple_user();
    assert_eq!(
        refuse(
            &mut world,
            &user(LUC),
            &format!(
                r#"{{"type": "set_espace_access", "siret": "{PAPETERIE}", "email": "{CLAIRE}", "espace": "factures_emises", "level": "consultation"}}"#
            )
        ),
        ["espace-needs-gestionnaire"]
    );
}
