//! `apply` never panics and a refusal never changes the world, whatever the learner types.

use didact_sim::world::{AccessLevel, Espace, IdentifierType};
use didact_sim::{apply, Action, UserRef, World};
use proptest::prelude::*;

use crate::support::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,30}",
        Just(LEARNER.to_owned()),
        Just(CLAIRE.to_owned()),
        Just(LUC.to_owned()),
        Just(PAPETERIE.to_owned()),
        Just(DURAND.to_owned()),
        Just("COMPTA".to_owned()),
        Just(PASSWORD.to_owned()),
        Just("FR76 9999 9000 0100 0123 4560 146".to_owned()),
        Just("activation-1".to_owned()),
    ]
}

fn espace() -> impl Strategy<Value = Espace> {
    proptest::sample::select(Espace::ALL.to_vec())
}

fn level() -> impl Strategy<Value = AccessLevel> {
    prop_oneof![
        Just(AccessLevel::None),
        Just(AccessLevel::Consultation),
        Just(AccessLevel::Modification)
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (text(), text(), text(), text(), text(), any::<bool>()).prop_map(
            |(login_email, last_name, first_name, phone, contact_email, accept_conditions)| {
                Action::CreateAccount {
                    login_email,
                    last_name,
                    first_name,
                    phone,
                    contact_email,
                    accept_conditions,
                }
            }
        ),
        text().prop_map(|email| Action::ResendActivation { email }),
        (text(), text(), text()).prop_map(|(token, password, password_confirmation)| {
            Action::ActivateAccount {
                token,
                password,
                password_confirmation,
            }
        }),
        (text(), text()).prop_map(|(email, password)| Action::Login { email, password }),
        Just(Action::Logout),
        (text(), text())
            .prop_map(|(question, answer)| Action::SetSecretQuestion { question, answer }),
        (text(), text(), text(), text()).prop_map(
            |(last_name, first_name, phone, contact_email)| {
                Action::UpdateAccount {
                    last_name,
                    first_name,
                    phone,
                    contact_email,
                }
            }
        ),
        (any::<bool>(), text(), text()).prop_map(|(siret_type, siret, raison_sociale)| {
            Action::CreateStructure {
                identifier_type: if siret_type {
                    IdentifierType::Siret
                } else {
                    IdentifierType::HorsUe
                },
                siret,
                raison_sociale,
                address: None,
            }
        }),
        (text(), text()).prop_map(|(siret, raison_sociale)| Action::UpdateStructure {
            siret,
            raison_sociale,
            address: None,
        }),
        (text(), proptest::collection::vec(text(), 0..3))
            .prop_map(|(siret, services)| Action::RequestRattachement { siret, services }),
        (0u64..20).prop_map(|request_id| Action::ValidateRattachement { request_id }),
        (0u64..20, text())
            .prop_map(|(request_id, reason)| Action::RefuseRattachement { request_id, reason }),
        (text(), text()).prop_map(|(siret, email)| Action::AttachUser { siret, email }),
        (text(), text()).prop_map(|(siret, email)| Action::DetachUser { siret, email }),
        (text(), text())
            .prop_map(|(siret, email)| Action::TransferGestionnairePrincipal { siret, email }),
        (text(), text(), espace(), level()).prop_map(|(siret, email, espace, level)| {
            Action::SetEspaceAccess {
                siret,
                email,
                espace,
                level,
            }
        }),
        (text(), text(), text()).prop_map(|(siret, code, name)| Action::CreateService {
            siret,
            code,
            name
        }),
        (text(), text(), any::<bool>()).prop_map(|(siret, code, active)| {
            Action::SetServiceActive {
                siret,
                code,
                active,
            }
        }),
        (text(), text(), text()).prop_map(|(siret, code, email)| Action::AttachUserToService {
            siret,
            code,
            email
        }),
        (text(), text(), text()).prop_map(|(siret, code, email)| Action::DetachUserFromService {
            siret,
            code,
            email
        }),
        (text(), text(), text(), text(), any::<bool>()).prop_map(
            |(siret, iban, bic, holder, affactureur)| Action::AddBankAccount {
                siret,
                iban,
                bic,
                holder,
                affactureur,
            }
        ),
        (text(), text()).prop_map(|(siret, iban)| Action::RemoveBankAccount { siret, iban }),
        (0u64..200).prop_map(|minutes| Action::AdvanceClock { minutes }),
        Just(Action::AdvanceClock { minutes: u64::MAX }),
    ]
}

fn actor() -> impl Strategy<Value = UserRef> {
    prop_oneof![
        Just(UserRef::Anonymous),
        text().prop_map(|email| UserRef::User { email }),
        Just(UserRef::user(CLAIRE)),
        Just(UserRef::user(LEARNER)),
    ]
}

fn start() -> World {
    let mut world = world();
    learner_with_structure(&mut world);
    world
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn apply_never_panics_and_refusals_change_nothing(
        steps in proptest::collection::vec((actor(), action()), 1..12)
    ) {
        let mut world = start();
        for (actor, action) in steps {
            let before = world.clone();
            let json = serde_json::to_string(&action).unwrap();
            prop_assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), action.clone());
            match apply(&mut world, &actor, action) {
                Ok(outcome) => prop_assert!(!outcome.message.is_empty()),
                Err(errors) => {
                    prop_assert_eq!(&world, &before);
                    prop_assert!(!errors.is_empty());
                    for error in errors {
                        prop_assert!(!error.message.is_empty() && !error.rule.is_empty());
                    }
                }
            }
        }
        let json = serde_json::to_string(&world).unwrap();
        prop_assert_eq!(serde_json::from_str::<World>(&json).unwrap(), world);
    }
}

#[test]
fn unknown_action_fields_are_rejected() {
    let error =
        serde_json::from_str::<Action>(r#"{"type": "advance_clock", "minutes": 1, "hours": 2}"#)
            .unwrap_err();
    assert!(error.to_string().contains("hours"), "{error}");
}
