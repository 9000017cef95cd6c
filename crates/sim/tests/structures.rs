use didact_sim::world::{AccessLevel, Espace, Member, RequestStatus, Role, Service};
use didact_sim::{UserRef, World};

use crate::support::*;

#[test]
fn creator_of_a_structure_becomes_gestionnaire_principal_with_register_data() {
    let mut world = world();
    learner_with_structure(&mut world);
    let structure = world.structure(DURAND).unwrap();
    assert_eq!(structure.raison_sociale, "Menuiserie Durand SARL");
    assert_eq!(structure.address.city, "Bordeaux");
    assert_eq!(
        world.role(DURAND, LEARNER),
        Some(Role::GestionnairePrincipal)
    );
    let member = structure.member(LEARNER).unwrap();
    assert_eq!(
        member.espaces.get(&Espace::FacturesEmises),
        Some(&AccessLevel::Modification)
    );
}

#[test]
fn structure_needs_a_valid_active_siret_of_the_register() {
    let mut world = world();
    learner_logged_in(&mut world);
    let me = user(LEARNER);
    let create = |siret: &str| format!(r#"{{"type": "create_structure", "siret": "{siret}"}}"#);
    for (siret, code) in [
        ("81452763600018", "siret-checksum"),
        ("00000000000000", "siret-unknown"),
        ("81900001900011", "siret-unknown"),
        ("88034517800011", "siret-inactive"),
        (PAPETERIE, "structure-exists"),
    ] {
        assert_eq!(refuse(&mut world, &me, &create(siret)), [code], "{siret}");
    }
    assert_eq!(
        refuse(&mut world, &UserRef::Anonymous, &create(DURAND)),
        ["not-logged-in"]
    );
}

#[test]
fn one_structure_per_siret_and_non_diffusible_address_is_masked() {
    let mut world = world();
    learner_logged_in(&mut world);
    let me = user(LEARNER);
    act(
        &mut world,
        &me,
        r#"{"type": "create_structure", "siret": "85173402000015"}"#,
    );
    act(
        &mut world,
        &me,
        r#"{"type": "create_structure", "siret": "85173402000023"}"#,
    );
    assert_eq!(world.structures_of(LEARNER).count(), 2);
    assert_eq!(world.structure("85173402000023").unwrap().address.city, "");
}

#[test]
fn structure_without_siret_needs_a_raison_sociale() {
    let mut world = world();
    learner_logged_in(&mut world);
    let me = user(LEARNER);
    assert_eq!(
        refuse(
            &mut world,
            &me,
            r#"{"type": "create_structure", "identifier_type": "ue_hors_france", "siret": "BE0123456789"}"#
        ),
        ["required"]
    );
    act(
        &mut world,
        &me,
        r#"{"type": "create_structure", "identifier_type": "ue_hors_france", "siret": "BE0123456789", "raison_sociale": "Menuiserie Dupont SPRL"}"#,
    );
    assert_eq!(
        world.role("BE0123456789", LEARNER),
        Some(Role::GestionnairePrincipal)
    );
}

#[test]
fn rattachement_request_validated_by_the_gestionnaire_notifies_the_user() {
    let mut world = world();
    learner_logged_in(&mut world);
    let found = world.search_structures("842").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].raison_sociale, "Papeterie du Centre SARL");
    assert_eq!(
        found[0].services.len(),
        1,
        "only active services are offered"
    );

    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "request_rattachement", "siret": "{PAPETERIE}", "services": ["COMPTA"]}}"#
        ),
    );
    let pending = world.pending_requests_for(CLAIRE);
    assert_eq!(pending.len(), 1);
    let request_id = pending[0].id;
    assert_eq!(
        world.emails_for(CLAIRE).len(),
        1,
        "the gestionnaire is notified"
    );
    assert_eq!(
        world.role(PAPETERIE, LEARNER),
        None,
        "not attached before validation"
    );

    act(
        &mut world,
        &user(CLAIRE),
        &format!(r#"{{"type": "validate_rattachement", "request_id": {request_id}}}"#),
    );
    assert_eq!(world.role(PAPETERIE, LEARNER), Some(Role::Utilisateur));
    let member = world.structure(PAPETERIE).unwrap().member(LEARNER).unwrap();
    assert_eq!(member.services, ["COMPTA"]);
    let last = world.emails_for(LEARNER).last().cloned().unwrap();
    assert!(last.subject.contains("validée"), "{}", last.subject);
    assert!(world.pending_requests_for(CLAIRE).is_empty());
    assert_eq!(
        refuse(
            &mut world,
            &user(CLAIRE),
            &format!(r#"{{"type": "refuse_rattachement", "request_id": {request_id}}}"#)
        ),
        ["request-already-decided"]
    );
}

#[test]
fn refused_rattachement_sends_the_reason() {
    let mut world = world();
    learner_logged_in(&mut world);
    act(
        &mut world,
        &user(LEARNER),
        &format!(r#"{{"type": "request_rattachement", "siret": "{PAPETERIE}"}}"#),
    );
    let request_id = world.requests[0].id;
    act(
        &mut world,
        &user(CLAIRE),
        &format!(
            r#"{{"type": "refuse_rattachement", "request_id": {request_id}, "reason": "Vous ne faites pas partie de la société."}}"#
        ),
    );
    assert_eq!(world.requests[0].status, RequestStatus::Refused);
    assert_eq!(world.role(PAPETERIE, LEARNER), None);
    let last = world.emails_for(LEARNER).last().cloned().unwrap();
    assert!(last.body.contains("Motif : Vous ne faites pas partie"));
}

#[test]
fn rattachement_request_rules() {
    let mut world = world();
    learner_logged_in(&mut world);
    let me = user(LEARNER);
    let request = format!(r#"{{"type": "request_rattachement", "siret": "{PAPETERIE}"}}"#);
    assert_eq!(
        refuse(
            &mut world,
            &me,
            &format!(
                r#"{{"type": "request_rattachement", "siret": "{PAPETERIE}", "services": ["ANCIEN", "NOPE"]}}"#
            )
        ),
        ["service-unknown", "service-unknown"]
    );
    assert_eq!(
        refuse(
            &mut world,
            &me,
            r#"{"type": "request_rattachement", "siret": "81452763600017"}"#
        ),
        ["structure-unknown"]
    );
    act(&mut world, &me, &request);
    assert_eq!(refuse(&mut world, &me, &request), ["request-pending"]);
    assert_eq!(
        refuse(
            &mut world,
            &user(LUC),
            r#"{"type": "validate_rattachement", "request_id": 999}"#
        ),
        ["request-unknown"]
    );
}

#[test]
fn search_rules_siret_from_3_characters_or_exact_raison_sociale() {
    let world = world();
    assert_eq!(
        world.search_structures("84").unwrap_err().code,
        "search-siret-too-short"
    );
    assert_eq!(world.search_structures("842609").unwrap().len(), 1);
    assert_eq!(
        world
            .search_structures("Papeterie du Centre")
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        world
            .search_structures("papeterie du centre sarl")
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        world.search_structures("  ").unwrap_err().code,
        "search-name-empty"
    );
}

#[test]
fn gestionnaire_role_can_be_transferred_to_an_attached_user() {
    let mut world = world();
    let claire = user(CLAIRE);
    let transfer = |email: &str| {
        format!(
            r#"{{"type": "transfer_gestionnaire_principal", "siret": "{PAPETERIE}", "email": "{email}"}}"#
        )
    };
    assert_eq!(
        refuse(&mut world, &claire, &transfer(LUC)),
        ["transfer-not-member"]
    );
    act(
        &mut world,
        &claire,
        &format!(r#"{{"type": "attach_user", "siret": "{PAPETERIE}", "email": "{LUC}"}}"#),
    );
    assert_eq!(
        refuse(&mut world, &claire, &transfer(NINA)),
        ["user-not-active"]
    );
    act(&mut world, &claire, &transfer(LUC));
    assert_eq!(
        world.role(PAPETERIE, LUC),
        Some(Role::GestionnairePrincipal)
    );
    assert_eq!(world.role(PAPETERIE, CLAIRE), Some(Role::Utilisateur));
    assert!(world
        .emails_for(LUC)
        .last()
        .unwrap()
        .subject
        .contains("gestionnaire principal"));
    assert_eq!(
        refuse(&mut world, &claire, &transfer(CLAIRE)),
        ["not-gestionnaire"],
        "the former gestionnaire lost his rights"
    );
}

#[test]
fn gestionnaire_attaches_and_detaches_users() {
    let mut world = world();
    let claire = user(CLAIRE);
    act(
        &mut world,
        &claire,
        &format!(r#"{{"type": "attach_user", "siret": "{PAPETERIE}", "email": "{LUC}"}}"#),
    );
    assert_eq!(
        refuse(
            &mut world,
            &claire,
            &format!(r#"{{"type": "attach_user", "siret": "{PAPETERIE}", "email": "{LUC}"}}"#)
        ),
        ["already-attached"]
    );
    assert_eq!(
        refuse(
            &mut world,
            &claire,
            &format!(
                r#"{{"type": "attach_user", "siret": "{PAPETERIE}", "email": "inconnu@example.fr"}}"#
            )
        ),
        ["user-unknown"]
    );
    assert_eq!(
        refuse(
            &mut world,
            &claire,
            &format!(r#"{{"type": "detach_user", "siret": "{PAPETERIE}", "email": "{CLAIRE}"}}"#)
        ),
        ["detach-gestionnaire"]
    );
    act(
        &mut world,
        &claire,
        &format!(r#"{{"type": "detach_user", "siret": "{PAPETERIE}", "email": "{LUC}"}}"#),
    );
    assert_eq!(world.role(PAPETERIE, LUC), None);
}

/// The atelier municipal of the learner's structure, once created.
fn atelier(world: &World) -> &Service {
    world
        .structure(DURAND)
        .unwrap()
        .service("ATELIER MUNICIPAL")
        .unwrap()
}

/// An action `kind` on a service of the learner's structure, with its other `fields`.
fn service_action(kind: &str, code: &str, fields: &str) -> String {
    format!(r#"{{"type": "{kind}", "siret": "{DURAND}", "code": "{code}", {fields}}}"#)
}

#[test]
fn services_are_created_deactivated_and_given_users() {
    let mut world = world();
    learner_with_structure(&mut world);
    let me = user(LEARNER);
    let create = |code: &str| service_action("create_service", code, r#""name": "Atelier""#);
    let learner = format!(r#""email": "{LEARNER}""#);
    act(&mut world, &me, &create("ATELIER MUNICIPAL"));
    assert_eq!(
        refuse(&mut world, &me, &create("SERV/01")),
        ["code-service-character"]
    );
    assert_eq!(
        refuse(&mut world, &me, &create("atelier municipal")),
        ["service-duplicate"]
    );
    assert!(atelier(&world).active);

    act(
        &mut world,
        &me,
        &service_action("attach_user_to_service", "ATELIER MUNICIPAL", &learner),
    );
    assert_eq!(
        world
            .structure(DURAND)
            .unwrap()
            .member(LEARNER)
            .unwrap()
            .services,
        ["ATELIER MUNICIPAL"]
    );
    act(
        &mut world,
        &me,
        &service_action(
            "set_service_active",
            "ATELIER MUNICIPAL",
            r#""active": false"#,
        ),
    );
    assert!(!atelier(&world).active);
    act(
        &mut world,
        &me,
        &service_action("detach_user_from_service", "ATELIER MUNICIPAL", &learner),
    );
    assert_eq!(
        refuse(
            &mut world,
            &me,
            &service_action("attach_user_to_service", "ATELIER MUNICIPAL", &learner)
        ),
        ["service-inactive"]
    );
    assert_eq!(
        refuse(
            &mut world,
            &me,
            &service_action("set_service_active", "NOPE", r#""active": true"#)
        ),
        ["service-unknown"]
    );
}

/// The action that sets Luc's access to `espace` of the papeterie.
fn luc_espace_access(espace: &str, level: &str) -> String {
    format!(
        r#"{{"type": "set_espace_access", "siret": "{PAPETERIE}", "email": "{LUC}", "espace": "{espace}", "level": "{level}"}}"#
    )
}

/// Luc's membership of the papeterie.
fn luc(world: &World) -> Member {
    world
        .structure(PAPETERIE)
        .unwrap()
        .member(LUC)
        .unwrap()
        .clone()
}

#[test]
fn espace_access_levels_per_user() {
    let mut world = world();
    let claire = user(CLAIRE);
    act(
        &mut world,
        &claire,
        &format!(r#"{{"type": "attach_user", "siret": "{PAPETERIE}", "email": "{LUC}"}}"#),
    );
    act(
        &mut world,
        &claire,
        &luc_espace_access("factures_de_travaux", "consultation"),
    );
    assert_eq!(
        luc(&world).espaces.get(&Espace::FacturesDeTravaux),
        Some(&AccessLevel::Consultation)
    );
    // A simple user manages « Factures émises » himself, but nothing else.
    act(
        &mut world,
        &user(LUC),
        &luc_espace_access("factures_emises", "none"),
    );
    assert_eq!(luc(&world).espaces.get(&Espace::FacturesEmises), None);
    assert_eq!(
        refuse(
            &mut world,
            &user(LUC),
            &luc_espace_access("factures_de_travaux", "modification")
        ),
        ["espace-needs-gestionnaire"]
    );
}

#[test]
fn bank_details_with_affactureur_and_rib_key_warning() {
    let mut world = world();
    learner_with_structure(&mut world);
    let me = user(LEARNER);
    let outcome = act(
        &mut world,
        &me,
        &format!(
            r#"{{"type": "add_bank_account", "siret": "{DURAND}", "iban": "FR76 9999 9000 0100 0123 4560 146", "bic": "FICTFRP1XXX", "holder": "Menuiserie Durand SARL"}}"#
        ),
    );
    assert!(outcome.warnings.is_empty());
    let outcome = act(
        &mut world,
        &me,
        &format!(
            r#"{{"type": "add_bank_account", "siret": "{DURAND}", "iban": "FR76 9999 8000 1000 0987 6540 166", "bic": "FACTFRP2XXX", "holder": "Factor Exemple SA", "affactureur": true}}"#
        ),
    );
    assert!(outcome.message.contains("affactureur"));
    let banks = &world.structure(DURAND).unwrap().bank_accounts;
    assert_eq!(banks.len(), 2);
    assert_eq!(banks[0].iban, "FR7699999000010001234560146");
    assert!(banks[1].affactureur);

    assert_eq!(
        refuse(
            &mut world,
            &me,
            &format!(
                r#"{{"type": "add_bank_account", "siret": "{DURAND}", "iban": "FR76 9999 9000 0100 0123 4560 147", "bic": "BNPAFRPPXX", "holder": ""}}"#
            )
        ),
        ["iban-checksum", "bic-length", "required"]
    );
    assert_eq!(
        refuse(
            &mut world,
            &me,
            &format!(
                r#"{{"type": "add_bank_account", "siret": "{DURAND}", "iban": "fr7699999000010001234560146", "bic": "FICTFRP1", "holder": "Doublon"}}"#
            )
        ),
        ["bank-account-duplicate"]
    );
    // Mod-97 valid, RIB key 47 instead of 46: accepted with a warning (Chorus Pro's check is unconfirmed).
    let outcome = act(
        &mut world,
        &me,
        &format!(
            r#"{{"type": "add_bank_account", "siret": "{DURAND}", "iban": "FR4999999000010001234560147", "bic": "FICTFRP1", "holder": "Menuiserie Durand SARL"}}"#
        ),
    );
    assert_eq!(outcome.warnings.len(), 1);
    assert_eq!(outcome.warnings[0].code, "iban-rib-key");

    act(
        &mut world,
        &me,
        &format!(
            r#"{{"type": "remove_bank_account", "siret": "{DURAND}", "iban": "FR49 9999 9000 0100 0123 4560 147"}}"#
        ),
    );
    assert_eq!(world.structure(DURAND).unwrap().bank_accounts.len(), 2);
}

#[test]
fn structure_update_keeps_what_is_left_empty() {
    let mut world = world();
    learner_with_structure(&mut world);
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "update_structure", "siret": "{DURAND}", "raison_sociale": "Menuiserie Durand"}}"#
        ),
    );
    let structure = world.structure(DURAND).unwrap();
    assert_eq!(structure.raison_sociale, "Menuiserie Durand");
    assert_eq!(structure.address.city, "Bordeaux");
}
